package io.stratum.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PreferWaitTest {
    @Test
    void waitIsReadFromPreferAndCapped() {
        assertThat(OperationLongPoll.waitSeconds("wait=5")).isEqualTo(5);
        assertThat(OperationLongPoll.waitSeconds("respond-async, wait=20")).isEqualTo(20);
        assertThat(OperationLongPoll.waitSeconds("Wait=7")).isEqualTo(7);
        assertThat(OperationLongPoll.waitSeconds("wait = 9")).isEqualTo(9);
        assertThat(OperationLongPoll.waitSeconds("wait=\"3\"")).isEqualTo(3);
        assertThat(OperationLongPoll.waitSeconds("wait=5, wait=600")).isEqualTo(5);
        assertThat(OperationLongPoll.waitSeconds("wait=999999")).isEqualTo(OperationLongPoll.MAX_WAIT_SECONDS);
        assertThat(OperationLongPoll.waitSeconds("handling=lenient")).isZero();
        assertThat(OperationLongPoll.waitSeconds("await=5")).isZero();
        assertThat(OperationLongPoll.waitSeconds("wait=-1")).isZero();
        assertThat(OperationLongPoll.waitSeconds(null)).isZero();
    }
}

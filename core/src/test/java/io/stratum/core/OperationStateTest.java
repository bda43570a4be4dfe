package io.stratum.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratum.core.model.Operation;
import io.stratum.core.model.OperationInput;
import io.stratum.core.model.OperationState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OperationStateTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void followsAllowedTransitions() {
        Operation op = new Operation("op-1", OperationInput.Create.empty(), "orders", "shop", OperationState.PENDING, null, Operation.NOT_STARTED, 0, null, t0, t0, null);
        Operation running = op.moveTo(OperationState.RUNNING, "initdb", 0.4, null, t0.plusSeconds(1));
        Operation done = running.moveTo(OperationState.SUCCEEDED, "done", 1, null, t0.plusSeconds(2));
        assertThat(done.state().terminal()).isTrue();
        assertThat(done.updatedAt()).isEqualTo(t0.plusSeconds(2));
        assertThat(done.createdAt()).isEqualTo(t0);
    }

    @Test
    void refusesLeavingATerminalState() {
        Operation failed = new Operation("op-2", new OperationInput.Stop(), "r", null, OperationState.FAILED, null, 0, 0, "boom", t0, t0, null);
        assertThatThrownBy(() -> failed.moveTo(OperationState.RUNNING, null, 0, null, t0))
                .hasMessageContaining("failed").hasMessageContaining("running");
        assertThat(OperationState.PENDING.canMoveTo(OperationState.SUCCEEDED)).isFalse();
    }
}

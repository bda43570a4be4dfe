package io.stratum.engines.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.engine.ReplicationState;
import io.stratum.core.instance.InstanceClass;
import io.stratum.core.instance.InstanceSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgReplicationTest {
    static final String F = Psql.FIELD;

    @Test
    void slotNamesKeepInstancesApartAndFitPostgresLimit() {
        assertThat(PgReplication.slotName("orders-ro")).isEqualTo("stratum_orders_ro");
        String a = PgReplication.slotName("a".repeat(63));
        String b = PgReplication.slotName("a".repeat(62) + "b");
        assertThat(a).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9_]+");
        assertThat(b).hasSizeLessThanOrEqualTo(63).isNotEqualTo(a);
    }

    @Test
    void aStandbyNeedsAtLeastItsPrimarysConnections() {
        InstanceSpec source = InstanceSpec.builder("orders", "postgres").version("15").instanceClass(InstanceClass.SMALL).storage(5, 5)
                .params(Map.of()).build();
        assertThat(PgReplication.problem(source, source.toBuilder().name("ro").instanceClass(InstanceClass.LARGE).build())).isEmpty();
        assertThat(PgReplication.problem(source, source.toBuilder().name("ro").instanceClass(InstanceClass.MICRO).build()))
                .hasValueSatisfying(p -> assertThat(p).contains("max_connections 50").contains("source's 100").contains("class small"));
        InstanceSpec raised = source.withParams(Map.of("max_connections", "300"));
        assertThat(PgReplication.problem(raised, source.toBuilder().name("ro").build())).isPresent();
    }

    @Test
    void streamingLagComesFromTheWalsenderWhileTheReplicaAnswersElseFromItsLastReply() {
        ReplicationState caughtUp = PgReplication.parseState("t" + F + "reserved" + F + "0" + F + "0.002" + F + "0.4" + F + "900" + F + "streaming\n");
        assertThat(caughtUp.streaming()).isTrue();
        assertThat(caughtUp.lagBytes()).isZero();
        assertThat(caughtUp.lagSeconds()).isZero();
        assertThat(caughtUp.replayed()).isEqualTo(900);
        ReplicationState busy = PgReplication.parseState("t" + F + "reserved" + F + "8192" + F + "0.25" + F + "0.5" + F + "900" + F + "streaming");
        assertThat(busy.lagSeconds()).isEqualTo(0.25);
        ReplicationState stalled = PgReplication.parseState("t" + F + "reserved" + F + "92000" + F + "0.01" + F + "16.5" + F + "900" + F + "streaming");
        assertThat(stalled.lagSeconds()).isEqualTo(16.5);
        assertThat(stalled.reason()).isNull();
    }

    @Test
    void aDisconnectedReplicaOrALostSlotSaysWhy() {
        ReplicationState gone = PgReplication.parseState("f" + F + "extended" + F + "4096" + F + "0" + F + "-1" + F + "-1" + F);
        assertThat(gone.streaming()).isFalse();
        assertThat(gone.slotLost()).isFalse();
        assertThat(gone.reason()).contains("not connected");
        ReplicationState lost = PgReplication.parseState("f" + F + "lost" + F + "-1" + F + "0" + F + "-1" + F + "-1" + F);
        assertThat(lost.slotLost()).isTrue();
        assertThat(lost.reason()).contains("max_slot_wal_keep_size").contains("create a new one");
        assertThat(PgReplication.parseState("").slotLost()).isTrue();
    }
}

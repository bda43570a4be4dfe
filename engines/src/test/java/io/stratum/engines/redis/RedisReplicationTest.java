package io.stratum.engines.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisReplicationTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheReplicationLineStratumWritesIsCarriedForward() throws Exception {
        Path acl = dir.resolve("users.acl");
        String own = RedisReplication.aclLine("a".repeat(32));
        Files.writeString(acl, "user default on #00 ~* +@all\n" + own);
        assertThat(RedisReplication.currentLine(acl)).isEqualTo(own);
        Files.writeString(acl, "user stratum_replicator on nopass ~* &* +@all\n");
        assertThat(RedisReplication.currentLine(acl)).as("a planted line is dropped").isEmpty();
        Files.writeString(acl, own.strip() + " +@all\n");
        assertThat(RedisReplication.currentLine(acl)).as("extra rules are dropped").isEmpty();
        assertThat(RedisReplication.currentLine(dir.resolve("missing.acl"))).isEmpty();
    }

    @Test
    void lagIsTheOffsetDifferenceFoundByTheReplicasPort() {
        String info = "# Replication\r\nrole:master\r\nconnected_slaves:1\r\n"
                + "slave0:ip=127.0.0.1,port=15001,state=online,offset=900,lag=3\r\nmaster_repl_offset:1000\r\n";
        var state = RedisReplication.state(info, 15001);
        assertThat(state.streaming()).isTrue();
        assertThat(state.lagBytes()).isEqualTo(100);
        assertThat(state.lagSeconds()).isEqualTo(3);
        assertThat(RedisReplication.state(info, 15002).reason()).contains("not connected");
    }
}

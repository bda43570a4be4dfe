package io.stratum.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InternalCaTest {
    @TempDir
    Path dir;

    @Test
    void isCreatedOnceAndReloadedOnRestart() throws Exception {
        InternalCa first = InternalCa.loadOrCreate(dir.resolve("ca.pem"), dir.resolve("ca.key"));
        InternalCa second = InternalCa.loadOrCreate(dir.resolve("ca.pem"), dir.resolve("ca.key"));
        assertThat(second.certificate()).isEqualTo(first.certificate());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key")))).isEqualTo("rw-------");
        var issued = second.issueServer("db.example", List.of("localhost", "127.0.0.1", "db.example"), Duration.ofDays(30));
        issued.certificate().verify(first.certificate().getPublicKey());
        assertThat(issued.certificate().getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
                .contains("localhost", "127.0.0.1", "db.example");
    }

    @Test
    void masterKeyIsCreatedPrivateAndStable() throws Exception {
        MasterKey a = MasterKey.loadOrCreate(dir.resolve("master.key"));
        MasterKey b = MasterKey.loadOrCreate(dir.resolve("master.key"));
        assertThat(a.secretKey().getEncoded()).hasSize(32).isEqualTo(b.secretKey().getEncoded());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("master.key")))).isEqualTo("rw-------");
        assertThat(a.toString()).doesNotContain(java.util.Base64.getEncoder().encodeToString(a.secretKey().getEncoded()));
    }
}

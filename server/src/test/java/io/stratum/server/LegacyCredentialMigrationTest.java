package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.home.StratumHome;
import io.stratum.server.security.MasterKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials sealed into instance rows by earlier versions move into the secret store at start. */
class LegacyCredentialMigrationTest {
    @TempDir
    Path home;

    static String legacySeal(MasterKey key, String plaintext, String context) throws Exception {
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(128, iv));
        c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        return "v1:" + Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + ct.length).put(iv).put(ct).array());
    }

    @Test
    void legacySealedPasswordsBecomeSecretsAndLeaveTheRow() throws Exception {
        ServerOptions options = ServerOptions.of(new StratumHome(home), "127.0.0.1:0", null, null, null);
        StratumServer.start(options, Clock.systemUTC()).close();
        MasterKey key = MasterKey.loadOrCreate(home.resolve("master.key"));
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("stratum.db"))) {
            var ps = c.prepareStatement("""
                    INSERT INTO instances (name, engine, version, instance_class, storage_gib, max_storage_gib, port, public_access,
                      stack, stage, database_name, master_user, security_groups, backup_retention_days, backup_window,
                      deletion_protection, params, tls, status, pending, last_error, storage_used_bytes, master_password_sealed,
                      admin_secret_sealed, created_at, updated_at)
                    VALUES ('old1', 'postgres', '15', 'SMALL', 5, 5, 15999, 0, NULL, NULL, 'app', 'app', '', 7, '03:00-03:30', 0,
                      '', 'prefer', 'STOPPED', '', NULL, 0, ?, ?, 0, 0)""");
            ps.setString(1, legacySeal(key, "legacy-master-password-0123456789", "instance/old1/master"));
            ps.setString(2, legacySeal(key, "legacy-admin-password-0123456789", "instance/old1/admin"));
            ps.executeUpdate();
        }
        try (StratumServer server = StratumServer.start(options, Clock.systemUTC())) {
            TestApi api = new TestApi(server.url(), server.caFile());
            String admin = Files.readString(server.adminTokenFile()).trim();
            var creds = api.get(admin, "/v1/instances/old1/credentials");
            assertThat(creds.status()).isEqualTo(200);
            assertThat(creds.body().path("password").asText()).isEqualTo("legacy-master-password-0123456789");
            assertThat(api.get(admin, "/v1/secret-values/old1/admin").body().path("value").path("password").asText())
                    .isEqualTo("legacy-admin-password-0123456789");
            assertThat(api.get(admin, "/v1/instances/old1").body().path("masterSecret").asText()).isEqualTo("old1/master");
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("stratum.db"))) {
            var rs = c.createStatement().executeQuery("SELECT master_password_sealed, admin_secret_sealed FROM instances WHERE name = 'old1'");
            rs.next();
            assertThat(rs.getString(1)).isEmpty();
            assertThat(rs.getString(2)).isNull();
        }
    }
}

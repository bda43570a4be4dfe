package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stratum.engines.EngineFiles;
import io.stratum.server.ServerOptions;
import io.stratum.testkit.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A certificate close to expiry is renewed and reloaded without a restart. Certificates here live a minute beyond their
 * one-hour back-dating, so every resync finds them due, as a year-old certificate would be.
 */
class CertificateRenewalIT {
    static EngineHarness h;

    @BeforeAll
    static void start() {
        h = new EngineHarness("stratum-renew-", ServerOptions.Engines.defaults().withPortRange("21900-21999")
                .withCertificateValidity(Duration.ofMinutes(1)));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void renewedCertificatesAreReloadedWithoutARestart() throws Exception {
        for (String engine : List.of("postgres", "mariadb", "redis")) {
            String name = "renew-" + engine.substring(0, 2);
            assertThat(h.cli("db", "create", name, "--engine", engine, "--class", "micro", "--tls", "require").exit()).isZero();
            Path cert = h.root().resolve("instances").resolve(name).resolve("conf/server.crt");
            String first = Files.readString(cert);
            Path pidFile = h.root().resolve("instances").resolve(name)
                    .resolve(engine.equals("postgres") ? "data/postmaster.pid" : engine.equals("mariadb") ? "run/mariadb.pid" : "run/redis.pid");
            long pid = EngineFiles.readPid(pidFile);
            await().atMost(Duration.ofSeconds(15)).until(() -> !Files.readString(cert).equals(first)
                    && h.api().get("/v1/events?limit=100").toString().contains("instance.certificate-renewed\",\"detail\":\"reloaded without a restart (pid " + pid));
            assertThat(EngineFiles.readPid(pidFile)).isEqualTo(pid);
        }
        // and the reloaded certificate is the one served: a verified TLS connection still works
        Path ca = h.root().resolve("ca.pem");
        Files.writeString(ca, h.cli("ca", "show").out());
        var c = h.credentials("renew-po");
        var psql = Proc.run(List.of("psql", "-X", "-At", "host=127.0.0.1 port=" + c.path("port").asText()
                + " user=app dbname=app sslmode=verify-full sslrootcert=" + ca, "-c", "SELECT 1"), Map.of("PGPASSWORD",
                c.path("password").asText()), null, null, 30);
        assertThat(psql.exit()).as(psql.stderr()).isZero();
    }
}

package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.engine.InstanceContext;
import io.stratum.core.external.ExternalInstance;
import io.stratum.core.external.ExternalStatus;
import io.stratum.core.port.Tunnels;
import io.stratum.core.reconcile.Credentials;
import io.stratum.core.service.EventBus;
import io.stratum.core.service.ExternalService;
import io.stratum.core.service.Recorder;
import io.stratum.core.service.SecretService;
import io.stratum.server.security.MasterKey;
import io.stratum.server.security.MasterKeyring;
import io.stratum.store.JdbiMetadataStore;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An external database that stops answering never holds up the health of the others, nor the next round. */
class ExternalHealthTest {
    @TempDir
    Path home;

    /** An engine whose connection check hangs for one host and succeeds for the rest. */
    static EngineProvider engine() {
        return (EngineProvider) Proxy.newProxyInstance(EngineProvider.class.getClassLoader(), new Class<?>[] {EngineProvider.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> "postgres";
                    case "verifyConnection" -> {
                        if (((InstanceContext) args[0]).connectHost().equals("203.0.113.9")) Thread.sleep(Duration.ofMinutes(10));
                        yield null;
                    }
                    case "hashCode" -> 1;
                    case "equals" -> proxy == args[0];
                    case "toString" -> "fake postgres";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aHangingExternalTimesOutAloneWhileTheOthersAreChecked() throws Exception {
        try (JdbiMetadataStore store = JdbiMetadataStore.open(null, home.resolve("stratum.db"), null)) {
            Recorder recorder = new Recorder(store, new EventBus(), Clock.systemUTC());
            SecretService secrets = new SecretService(recorder, new MasterKeyring(MasterKey.generate()));
            Tunnels none = (Tunnels) Proxy.newProxyInstance(Tunnels.class.getClassLoader(), new Class<?>[] {Tunnels.class},
                    (p, m, a) -> null);
            ExternalService externals = new ExternalService(recorder, secrets, new EngineRegistry(List.of(engine())), none,
                    home.resolve("externals"), Duration.ofSeconds(2));
            Instant long_ago = Instant.parse("2026-01-01T00:00:00Z");
            for (String[] e : new String[][] {{"hung", "203.0.113.9"}, {"fine", "203.0.113.10"}}) {
                ExternalInstance ext = new ExternalInstance(e[0], "postgres", e[1], 5432, "app", "app", null, null, "off", null, 0, false,
                        ExternalStatus.AVAILABLE, null, long_ago, long_ago, null);
                store.inTransaction(tx -> {
                    tx.externals().insert(ext);
                    secrets.createManaged(tx, Credentials.masterSecret(ExternalService.spec(ext)),
                            Credentials.masterValue(ExternalService.spec(ext), e[1], "pw"), Map.of());
                    return null;
                });
            }
            long t0 = System.nanoTime();
            externals.checkHealth();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(took).as("one round, bounded by the timeout").isLessThan(Duration.ofSeconds(5));
            ExternalInstance fine = store.read(tx -> tx.externals().find("fine")).orElseThrow();
            ExternalInstance hung = store.read(tx -> tx.externals().find("hung")).orElseThrow();
            assertThat(fine.status()).isEqualTo(ExternalStatus.AVAILABLE);
            assertThat(fine.checkedAt()).isAfter(long_ago);
            assertThat(hung.status()).isEqualTo(ExternalStatus.UNREACHABLE);
            assertThat(hung.lastError()).contains("no answer within 2 s");
        }
    }
}

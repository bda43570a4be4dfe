package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.home.StratumHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Security groups as resources over the REST API: rules, duplicates, bad input, permissions and events. */
class SecurityGroupApiTest {
    @TempDir
    static Path home;
    static StratumServer server;
    static TestApi api;
    static String admin;
    static String reader;

    @BeforeAll
    static void start() throws Exception {
        server = StratumServer.start(ServerOptions.of(new StratumHome(home), "127.0.0.1:0", null, null, null), Clock.systemUTC());
        api = new TestApi(server.url(), server.caFile());
        admin = Files.readString(server.adminTokenFile()).trim();
        reader = api.post(admin, "/v1/tokens", "{\"name\":\"dash\",\"role\":\"reader\"}").body().path("token").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void rulesAreAuthorizedNormalisedAndRevoked() {
        assertThat(api.post(admin, "/v1/security-groups", "{\"name\":\"web\",\"description\":\"web tier\"}").status()).isEqualTo(201);
        assertThat(api.post(admin, "/v1/security-groups/web/rules", "{\"cidr\":\"127.0.0.2/32\"}").status()).isEqualTo(201);
        var v6 = api.post(admin, "/v1/security-groups/web/rules", "{\"cidr\":\"2001:db8::7/32\",\"port\":5432}");
        assertThat(v6.status()).isEqualTo(201);
        assertThat(v6.body().path("rules").toString()).contains("2001:db8::/32").contains("5432");
        var dup = api.post(admin, "/v1/security-groups/web/rules", "{\"cidr\":\"127.0.0.2\"}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.body().path("code").asText()).isEqualTo("duplicate-rule");
        assertThat(api.get(reader, "/v1/security-groups/web").body().path("rules")).hasSize(2);
        var revoked = api.delete(admin, "/v1/security-groups/web/rules?cidr=127.0.0.2/32");
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body().path("rules")).hasSize(1);
        assertThat(api.delete(admin, "/v1/security-groups/web/rules?cidr=127.0.0.2/32").status()).isEqualTo(404);
        String events = api.get(admin, "/v1/events?limit=20").raw();
        assertThat(events).contains("security-group.authorize").contains("security-group.revoke").contains("admin (tok-");
    }

    @Test
    void badInputNamesTheFieldAndChangesNothing() {
        api.post(admin, "/v1/security-groups", "{\"name\":\"strict\"}");
        for (String[] bad : new String[][] {{"{\"cidr\":\"300.1.1.1/8\"}", "cidr"}, {"{\"cidr\":\"10.0.0.0/33\"}", "cidr"},
                {"{\"cidr\":\"10.0.0.0/8\",\"port\":70000}", "port"}, {"{\"cidr\":\"10.0.0.0/8\",\"port\":0}", "port"}}) {
            var r = api.post(admin, "/v1/security-groups/strict/rules", bad[0]);
            assertThat(r.status()).as(bad[0]).isEqualTo(400);
            assertThat(r.body().path("errors").get(0).path("field").asText()).isEqualTo(bad[1]);
        }
        assertThat(api.get(admin, "/v1/security-groups/strict").body().path("rules")).isEmpty();
        assertThat(api.post(admin, "/v1/security-groups/nosuch/rules", "{\"cidr\":\"10.0.0.0/8\"}").status()).isEqualTo(404);
        assertThat(api.post(admin, "/v1/security-groups", "{\"name\":\"Bad Name\"}").status()).isEqualTo(400);
        assertThat(api.post(reader, "/v1/security-groups", "{\"name\":\"mine\"}").status()).isEqualTo(403);
        assertThat(api.post(admin, "/v1/security-groups", "{\"name\":\"strict\"}").status()).isEqualTo(409);
        assertThat(api.delete(admin, "/v1/security-groups/strict").status()).isEqualTo(204);
        assertThat(api.get(admin, "/v1/security-groups/strict").status()).isEqualTo(404);
    }
}

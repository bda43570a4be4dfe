package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.core.home.StratumHome;
import io.stratum.core.secret.IntegrityException;
import io.stratum.core.secret.SecretVersion;
import io.stratum.server.security.MasterKey;
import io.stratum.server.security.MasterKeyring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secret store over the REST API: versions, tags, access, bad input, tamper detection, master-key rotation. */
class SecretStoreTest {
    @TempDir
    static Path home;
    static StratumServer server;
    static TestApi api;
    static String admin;
    static String operator;
    static String reader;

    @BeforeAll
    static void start() throws Exception {
        server = StratumServer.start(ServerOptions.of(new StratumHome(home), "127.0.0.1:0", null, null, null), Clock.systemUTC());
        api = new TestApi(server.url(), server.caFile());
        admin = Files.readString(server.adminTokenFile()).trim();
        api.post(admin, "/v1/stacks", "{\"name\":\"shop\"}");
        api.post(admin, "/v1/stacks", "{\"name\":\"blog\"}");
        operator = api.post(admin, "/v1/tokens", "{\"name\":\"shop-ci\",\"role\":\"operator\",\"stacks\":[\"shop\"]}").body().path("token").asText();
        reader = api.post(admin, "/v1/tokens", "{\"name\":\"dash\",\"role\":\"reader\"}").body().path("token").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static TestApi.Answer create(String token, String name, String valueJson, String tagsJson) {
        return api.post(token, "/v1/secrets", "{\"name\":\"" + name + "\",\"value\":" + valueJson + ",\"tags\":" + tagsJson + "}");
    }

    @Test
    void versionsTagsAndHistory() {
        assertThat(create(operator, "shop/prod/payments", "{\"apiKey\":\"k1\"}", "{\"stack\":\"shop\",\"stage\":\"prod\"}").status()).isEqualTo(201);
        assertThat(api.post(operator, "/v1/secret-values/shop/prod/payments", "{\"value\":{\"apiKey\":\"k2\"}}").body()
                .path("currentVersion").asInt()).isEqualTo(2);
        assertThat(api.get(operator, "/v1/secret-values/shop/prod/payments").body().path("value").path("apiKey").asText()).isEqualTo("k2");
        assertThat(api.get(operator, "/v1/secret-values/shop/prod/payments?version=1").body().path("value").path("apiKey").asText())
                .isEqualTo("k1");
        assertThat(api.get(operator, "/v1/secret-versions/shop/prod/payments").body()).hasSize(2);
        assertThat(api.get(admin, "/v1/secrets?tag=stack%3Dshop&tag=stage%3Dprod").body().findValuesAsText("name"))
                .contains("shop/prod/payments");
        assertThat(api.get(admin, "/v1/secrets?tag=stage%3Ddev").body().findValuesAsText("name")).doesNotContain("shop/prod/payments");
        assertThat(api.get(admin, "/v1/secrets").raw()).doesNotContain("k1").doesNotContain("k2");
    }

    @Test
    void accessFollowsTheStackTag() {
        create(admin, "blog/prod/smtp", "{\"password\":\"blog-secret\"}", "{\"stack\":\"blog\"}");
        assertThat(api.get(operator, "/v1/secret-values/blog/prod/smtp").status()).isEqualTo(404);
        assertThat(api.get(operator, "/v1/secrets").body().findValuesAsText("name")).doesNotContain("blog/prod/smtp");
        assertThat(create(operator, "blog/x", "\"v\"", "{\"stack\":\"blog\"}").status()).isEqualTo(403);
        // no squatting: a stack's operator cannot take a name under another stack (nor Stratum's names for its instances)
        var squat = create(operator, "blog/prod/orders/master", "\"v\"", "{\"stack\":\"shop\"}");
        assertThat(squat.status()).isEqualTo(400);
        assertThat(squat.raw()).contains("named under it");
        assertThat(api.get(admin, "/v1/secrets/blog/prod/orders/master").status()).isEqualTo(404);
        assertThat(api.get(reader, "/v1/secrets").body().findValuesAsText("name")).contains("blog/prod/smtp");
        var readerValue = api.get(reader, "/v1/secret-values/blog/prod/smtp");
        assertThat(readerValue.status()).isEqualTo(403);
        assertThat(readerValue.raw()).doesNotContain("blog-secret");
    }

    @Test
    void badInputNamesTheFieldAndChangesNothing() {
        int before = api.get(admin, "/v1/secrets").body().size();
        for (String bad : new String[] {"../etc/passwd", "shop/../../x", "/abs", "a//b", "shop/./x", "with space"}) {
            var r = create(admin, bad.replace("\"", ""), "\"v\"", "{}");
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.body().path("errors").get(0).path("field").asText()).isEqualTo("name");
        }
        var big = create(admin, "big", "\"" + "x".repeat(70_000) + "\"", "{}");
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.body().path("errors").get(0).path("field").asText()).isEqualTo("value");
        var filter = api.get(admin, "/v1/secrets?tag=stack");
        assertThat(filter.status()).isEqualTo(400);
        assertThat(filter.body().path("errors").get(0).path("message").asText()).contains("KEY=VALUE");
        assertThat(create(admin, "tagged", "\"v\"", "{\"stack\":\"Not A Stack\"}").body().path("errors").get(0).path("field").asText())
                .isEqualTo("tags.stack");
        assertThat(api.get(admin, "/v1/secret-values/missing/secret").status()).isEqualTo(404);
        assertThat(api.get(admin, "/v1/secrets").body().size()).isEqualTo(before);
    }

    @Test
    void deletingNeedsConfirmation() {
        create(admin, "tmp/one", "\"v\"", "{}");
        assertThat(api.delete(admin, "/v1/secrets/tmp/one").status()).isEqualTo(409);
        assertThat(api.delete(admin, "/v1/secrets/tmp/one?confirm=tmp/one").status()).isEqualTo(204);
        assertThat(api.get(admin, "/v1/secrets/tmp/one").status()).isEqualTo(404);
    }

    @Test
    void aFlippedByteIsDetectedNeverReturnedAsGarbage() throws Exception {
        create(admin, "tamper/me", "{\"password\":\"original\"}", "{}");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("stratum.db"))) {
            var rs = c.createStatement().executeQuery("SELECT ciphertext FROM secret_versions WHERE name = 'tamper/me'");
            rs.next();
            byte[] ct = Base64.getDecoder().decode(rs.getString(1));
            ct[ct.length / 2] ^= 0x01;
            var ps = c.prepareStatement("UPDATE secret_versions SET ciphertext = ? WHERE name = 'tamper/me'");
            ps.setString(1, Base64.getEncoder().encodeToString(ct));
            ps.executeUpdate();
        }
        var r = api.get(admin, "/v1/secret-values/tamper/me");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.body().path("code").asText()).isEqualTo("integrity-check-failed");
        assertThat(r.body().path("detail").asText()).contains("integrity check");
        assertThat(r.raw()).doesNotContain("original");
    }

    @Test
    void masterKeyRotationRewrapsEverythingAndRetiresTheOldKey() throws Exception {
        create(admin, "rot/a", "{\"k\":\"alpha\"}", "{}");
        create(admin, "rot/b", "{\"k\":\"beta\"}", "{}");
        api.post(admin, "/v1/secret-values/rot/b", "{\"value\":{\"k\":\"beta2\"}}");
        MasterKey oldKey = MasterKey.loadOrCreate(home.resolve("master.key"));
        String oldKeyText = Files.readString(home.resolve("master.key"));
        assertThat(api.post(operator, "/v1/master-key/rotate", "").status()).isEqualTo(403);
        JsonNode rotated = api.post(admin, "/v1/master-key/rotate", "").body();
        assertThat(rotated.path("rewrapped").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(Files.readString(home.resolve("master.key"))).isNotEqualTo(oldKeyText);
        assertThat(home.resolve("master.key.next")).doesNotExist();
        for (var e : Map.of("rot/a", "alpha", "rot/b", "beta2").entrySet()) {
            assertThat(api.get(admin, "/v1/secret-values/" + e.getKey()).body().path("value").path("k").asText()).isEqualTo(e.getValue());
        }
        assertThat(api.get(admin, "/v1/secret-values/rot/b?version=1").body().path("value").path("k").asText()).isEqualTo("beta");
        // the old key opens nothing any more
        MasterKeyring oldRing = new MasterKeyring(oldKey);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("stratum.db"))) {
            var rs = c.createStatement().executeQuery("SELECT name, version, key_id, wrapped_key, ciphertext FROM secret_versions");
            int checked = 0;
            while (rs.next()) {
                var v = new SecretVersion(rs.getString(1), rs.getInt(2), new io.stratum.core.secret.SealedValue(rs.getString(3),
                        Base64.getDecoder().decode(rs.getString(4)), Base64.getDecoder().decode(rs.getString(5))), null);
                assertThat(v.sealed().keyId()).isEqualTo(rotated.path("keyId").asText());
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> oldRing.open(v.sealed(), v.aad()))
                        .isInstanceOf(IntegrityException.class);
                checked++;
            }
            assertThat(checked).isGreaterThanOrEqualTo(3);
        }
        assertThat(new String(Files.readAllBytes(home.resolve("stratum.db")), StandardCharsets.ISO_8859_1))
                .doesNotContain("alpha").doesNotContain("beta2");
    }
}

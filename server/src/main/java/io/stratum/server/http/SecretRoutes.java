package io.stratum.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.HandlerType;
import io.stratum.core.error.ValidationException;
import io.stratum.core.secret.Secret;
import io.stratum.core.service.SecretService;
import io.stratum.server.http.Route.QueryParam;
import io.stratum.server.security.MasterKeyRotation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** /v1/secrets (metadata), /v1/secret-values (values), /v1/secret-versions (history), /v1/master-key/rotate. */
final class SecretRoutes {
    record CreateSecretBody(String name, JsonNode value, Map<String, String> tags) {}

    record PutSecretBody(JsonNode value) {}

    record SecretView(String name, Map<String, String> tags, boolean managed, int currentVersion, Instant createdAt,
                      Instant updatedAt) {
        static SecretView of(Secret s) {
            return new SecretView(s.name(), s.tags(), s.managed(), s.currentVersion(), s.createdAt(), s.updatedAt());
        }
    }

    record SecretValueView(String name, int version, JsonNode value) {}

    record VersionView(int version, Instant createdAt, boolean current) {}

    record RotationView(int rewrapped, String keyId) {}

    private final RestApi api;
    private final SecretService secrets;
    private final MasterKeyRotation rotation;
    private final ApiRoutes routes;

    SecretRoutes(RestApi api, SecretService secrets, MasterKeyRotation rotation, ApiRoutes routes) {
        this.api = api;
        this.secrets = secrets;
        this.rotation = rotation;
        this.routes = routes;
    }

    void declare() {
        routes.add(Route.of(HandlerType.GET, "/v1/secrets", "List secrets (metadata only), filtered by tags")
                .respondsWithListOf(SecretView.class).query(List.of(new QueryParam("tag", "string", "KEY=VALUE, repeatable; all must match")))
                .handledBy((ctx, body) -> ApiResponse.ok(secrets.list(api.principal(ctx), SecretService.parseFilters(ctx.queryParams("tag")))
                        .stream().map(SecretView::of).toList())));
        routes.add(Route.of(HandlerType.POST, "/v1/secrets", "Create a secret (version 1)")
                .accepts(CreateSecretBody.class).respondsWith(SecretView.class).status(201)
                .handledBy((ctx, body) -> {
                    CreateSecretBody b = Json.read(body, CreateSecretBody.class);
                    Secret s = secrets.create(api.principal(ctx), b.name(), text(b.value()), b.tags() == null ? Map.of() : b.tags());
                    return ApiResponse.created("/v1/secrets/" + s.name(), SecretView.of(s));
                }));
        routes.add(Route.of(HandlerType.GET, "/v1/secrets/<name>", "Show a secret's metadata")
                .respondsWith(SecretView.class)
                .handledBy((ctx, body) -> ApiResponse.ok(SecretView.of(secrets.describe(api.principal(ctx), ctx.pathParam("name"))))));
        routes.add(Route.of(HandlerType.DELETE, "/v1/secrets/<name>", "Delete a secret and all its versions (?confirm=NAME)")
                .status(204).query(List.of(new QueryParam("confirm", "string", "the secret's name again")))
                .handledBy((ctx, body) -> {
                    String name = ctx.pathParam("name");
                    if (!name.equals(ctx.queryParam("confirm"))) {
                        throw new io.stratum.core.error.ConflictException("confirmation-required",
                                "deleting secret '" + name + "' destroys every version: repeat its name with --confirm " + name);
                    }
                    secrets.delete(api.principal(ctx), name);
                    return ApiResponse.noContent();
                }));
        routes.add(Route.of(HandlerType.GET, "/v1/secret-values/<name>", "A secret's value (current or ?version=N)")
                .respondsWith(SecretValueView.class).query(List.of(new QueryParam("version", "integer", "default: the current version")))
                .handledBy((ctx, body) -> {
                    String name = ctx.pathParam("name");
                    Integer version = ctx.queryParam("version") == null ? null : ApiRoutes.intParam(ctx, "version", 1, 1, Integer.MAX_VALUE);
                    String value = secrets.get(api.principal(ctx), name, version);
                    int shown = version != null ? version : secrets.describe(api.principal(ctx), name).currentVersion();
                    return ApiResponse.ok(new SecretValueView(name, shown, parse(value)));
                }));
        routes.add(Route.of(HandlerType.POST, "/v1/secret-values/<name>", "Put a new version of a secret")
                .accepts(PutSecretBody.class).respondsWith(SecretView.class).status(201)
                .handledBy((ctx, body) -> {
                    PutSecretBody b = Json.read(body, PutSecretBody.class);
                    Secret s = secrets.put(api.principal(ctx), ctx.pathParam("name"), text(b.value()));
                    return ApiResponse.created("/v1/secrets/" + s.name(), SecretView.of(s));
                }));
        routes.add(Route.of(HandlerType.GET, "/v1/secret-versions/<name>", "A secret's version history")
                .respondsWithListOf(VersionView.class)
                .handledBy((ctx, body) -> ApiResponse.ok(secrets.history(api.principal(ctx),
                        ctx.pathParam("name")).stream().map(v -> new VersionView(v.version(), v.createdAt(), v.current())).toList())));
        routes.add(Route.of(HandlerType.POST, "/v1/master-key/rotate",
                "Rotate the master key: every data key is rewrapped; instances stay up (admin)")
                .respondsWith(RotationView.class)
                .handledBy((ctx, body) -> {
                    int n = rotation.rotate(api.principal(ctx));
                    return ApiResponse.ok(new RotationView(n, rotation.currentKeyId()));
                }));
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull()) throw ValidationException.of("value", "is required: a JSON value, e.g. {\"apiKey\":\"...\"}");
        return value.toString();
    }

    private static JsonNode parse(String stored) {
        try {
            return Json.MAPPER.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored secret is not JSON");
        }
    }
}

package io.stratum.server.http;

import io.javalin.http.HandlerType;
import io.stratum.core.bastion.BastionKey;
import io.stratum.core.service.BastionService;
import io.stratum.server.StratumServer;
import io.stratum.server.http.Route.QueryParam;
import java.time.Instant;
import java.util.List;

/** /v1/bastion: where the SSH bastion listens, and the public keys allowed through it per stack. */
final class BastionRoutes {
    record AddKeyBody(String stack, String publicKey, String expires) {}

    record KeyView(String id, String stack, String type, String fingerprint, String publicKey, String comment, String state,
                   Instant createdAt, Instant expiresAt, Instant revokedAt) {
        static KeyView of(BastionKey k, Instant now) {
            return new KeyView(k.id(), k.stack(), k.type(), k.fingerprint(), k.publicKey(), k.comment(), k.state(now), k.createdAt(),
                    k.expiresAt(), k.revokedAt());
        }
    }

    record BastionView(String host, int port, String hostKeyFingerprint, String hostKey, String user) {}

    private final RestApi api;
    private final BastionService keys;
    private final StratumServer.BastionEndpoint endpoint;
    private final ApiRoutes routes;

    BastionRoutes(RestApi api, BastionService keys, StratumServer.BastionEndpoint endpoint, ApiRoutes routes) {
        this.api = api;
        this.keys = keys;
        this.endpoint = endpoint;
        this.routes = routes;
    }

    void declare() {
        routes.add(Route.of(HandlerType.GET, "/v1/bastion", "Where the SSH bastion listens and its host key")
                .respondsWith(BastionView.class)
                .handledBy((ctx, body) -> {
                    api.principal(ctx);
                    return ApiResponse.ok(new BastionView(endpoint.host(), endpoint.port(), endpoint.hostKeyFingerprint(),
                            endpoint.hostKey(), "the stack's name"));
                }));
        routes.add(Route.of(HandlerType.POST, "/v1/bastion/keys", "Allow a public key through the bastion into a stack")
                .accepts(AddKeyBody.class).respondsWith(KeyView.class).status(201)
                .handledBy((ctx, body) -> {
                    AddKeyBody b = Json.read(body, AddKeyBody.class);
                    BastionKey k = keys.addKey(api.principal(ctx), b.stack(), b.publicKey(), b.expires());
                    return ApiResponse.created("/v1/bastion/keys/" + k.id(), KeyView.of(k, Instant.now()));
                }));
        routes.add(Route.of(HandlerType.GET, "/v1/bastion/keys", "List bastion keys (public halves only)")
                .respondsWithListOf(KeyView.class).query(List.of(new QueryParam("stack", "string", "only this stack's keys")))
                .handledBy((ctx, body) -> {
                    Instant now = Instant.now();
                    return ApiResponse.ok(keys.list(api.principal(ctx), ctx.queryParam("stack")).stream()
                            .map(k -> KeyView.of(k, now)).toList());
                }));
        routes.add(Route.of(HandlerType.DELETE, "/v1/bastion/keys/{id}", "Revoke a bastion key (kept, marked revoked)")
                .respondsWith(KeyView.class)
                .handledBy((ctx, body) -> ApiResponse.ok(KeyView.of(keys.revoke(api.principal(ctx), ctx.pathParam("id")), Instant.now()))));
    }
}

package io.stratum.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stratum.core.auth.Principal;
import io.stratum.core.error.ConflictException;
import io.stratum.core.service.ExternalService;
import io.stratum.core.service.ManagedUserService;
import io.stratum.core.user.ManagedUser;
import io.stratum.server.http.Route.QueryParam;
import java.time.Instant;
import java.util.List;

/** /v1/instances/{name}/users: database users Stratum manages for an instance (passwords only in the secret store). */
final class UserRoutes {
    record CreateUserBody(String name, String database, String access, String keys) {}

    record UserView(String instance, String name, String database, String access, String keys, String secret, Instant createdAt) {}

    private final RestApi api;
    private final ManagedUserService users;
    private final ExternalService externals;
    private final ApiRoutes routes;

    UserRoutes(RestApi api, ManagedUserService users, ExternalService externals, ApiRoutes routes) {
        this.api = api;
        this.users = users;
        this.externals = externals;
        this.routes = routes;
    }

    void declare() {
        String base = "/v1/instances/{name}/users";
        routes.add(Route.of(HandlerType.POST, base, "Create a database user (read, write or owner on a database; Redis: on keys)")
                .accepts(CreateUserBody.class).respondsWith(UserView.class).status(201)
                .handledBy((ctx, body) -> {
                    CreateUserBody b = Json.read(body, CreateUserBody.class);
                    Principal p = managed(ctx);
                    ManagedUser u = users.create(p, ctx.pathParam("name"), new ManagedUserService.CreateRequest(b.name(), b.database(),
                            b.access(), b.keys()));
                    return ApiResponse.created(ctx.path() + "/" + u.name(), view(p, u));
                }));
        routes.add(Route.of(HandlerType.GET, base, "List an instance's database users")
                .respondsWithListOf(UserView.class)
                .handledBy((ctx, body) -> {
                    Principal p = managed(ctx);
                    return ApiResponse.ok(users.list(p, ctx.pathParam("name")).stream().map(u -> view(p, u)).toList());
                }));
        routes.add(Route.of(HandlerType.GET, base + "/{user}", "Show a database user")
                .respondsWith(UserView.class)
                .handledBy((ctx, body) -> {
                    Principal p = managed(ctx);
                    return ApiResponse.ok(view(p, users.get(p, ctx.pathParam("name"), ctx.pathParam("user"))));
                }));
        routes.add(Route.of(HandlerType.DELETE, base + "/{user}", "Delete a database user (needs ?confirm=USER)")
                .status(204).query(List.of(new QueryParam("confirm", "string", "the user's name, typed again")))
                .handledBy((ctx, body) -> {
                    users.delete(managed(ctx), ctx.pathParam("name"), ctx.pathParam("user"), ctx.queryParam("confirm"));
                    return ApiResponse.noContent();
                }));
        routes.add(Route.of(HandlerType.POST, base + "/{user}/rotate-password",
                "Give a database user a new password (a new secret version once the engine accepts it)")
                .respondsWith(UserView.class)
                .handledBy((ctx, body) -> {
                    Principal p = managed(ctx);
                    return ApiResponse.ok(view(p, users.rotatePassword(p, ctx.pathParam("name"), ctx.pathParam("user"))));
                }));
    }

    private UserView view(Principal p, ManagedUser u) {
        return new UserView(u.instance(), u.name(), u.database(), u.access().wireName(), u.keyPattern(),
                users.secretName(p, u.instance(), u.name()), u.createdAt());
    }

    /** The caller, unless the instance is external: its users are the provider's business. */
    private Principal managed(Context ctx) {
        Principal p = api.principal(ctx);
        String name = ctx.pathParam("name");
        if (externals.find(p, name).isPresent()) {
            throw new ConflictException("external-instance", "'" + name + "' is an external instance: manage its users at your provider");
        }
        return p;
    }
}

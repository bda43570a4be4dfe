package io.stratum.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stratum.core.error.ValidationException;
import io.stratum.core.service.EventService;
import io.stratum.core.service.OperationService;
import io.stratum.core.service.StackService;
import io.stratum.core.service.StageService;
import io.stratum.core.service.TokenService;
import io.stratum.server.http.Route.QueryParam;
import io.stratum.server.http.Views.CreateStackRequest;
import io.stratum.server.http.Views.CreateStageRequest;
import io.stratum.server.http.Views.CreateTokenRequest;
import io.stratum.server.http.Views.EventView;
import io.stratum.server.http.Views.OperationView;
import io.stratum.server.http.Views.StackView;
import io.stratum.server.http.Views.StageView;
import io.stratum.server.http.Views.TokenView;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The /v1 routes: each declared once with its handler; the OpenAPI document comes from this list. */
final class ApiRoutes {
    private final List<Route> routes = new ArrayList<>();
    private final RestApi api;

    ApiRoutes(RestApi api, io.stratum.server.StratumServer.Services services) {
        this.api = api;
        StackService stacks = services.stacks();
        StageService stages = services.stages();
        TokenService tokens = services.tokens();
        OperationService operations = services.operations();
        EventService events = services.events();
        post("/v1/stacks", "Create a stack (admin)", CreateStackRequest.class, StackView.class, (ctx, body) -> {
            var req = Json.read(body, CreateStackRequest.class);
            var s = stacks.create(api.principal(ctx), req.name());
            return ApiResponse.created("/v1/stacks/" + s.name(), StackView.of(s));
        });
        list("/v1/stacks", "List stacks", StackView.class, List.of(),
                ctx -> stacks.list(api.principal(ctx)).stream().map(StackView::of).toList());
        get("/v1/stacks/{stack}", "Show a stack", StackView.class,
                ctx -> StackView.of(stacks.get(api.principal(ctx), ctx.pathParam("stack"))));
        get("/v1/stacks/{stack}/quota", "A stack's quota and what it uses", Views.QuotaView.class,
                ctx -> Views.QuotaView.of(services.quotas().usage(api.principal(ctx), ctx.pathParam("stack"))));
        routes.add(Route.of(HandlerType.PUT, "/v1/stacks/{stack}/quota", "Set a stack's quota (admin)")
                .accepts(Views.QuotaBody.class).respondsWith(Views.QuotaView.class)
                .handledBy((ctx, body) -> {
                    var b = Json.read(body, Views.QuotaBody.class);
                    services.quotas().set(api.principal(ctx), ctx.pathParam("stack"), b.instances(), b.storage(), b.operations());
                    return ApiResponse.ok(Views.QuotaView.of(services.quotas().usage(api.principal(ctx), ctx.pathParam("stack"))));
                }));
        delete("/v1/stacks/{stack}", "Delete a stack without stages (admin)",
                ctx -> stacks.delete(api.principal(ctx), ctx.pathParam("stack")));

        post("/v1/stacks/{stack}/stages", "Create a stage", CreateStageRequest.class, StageView.class, (ctx, body) -> {
            var req = Json.read(body, CreateStageRequest.class);
            var s = stages.create(api.principal(ctx), ctx.pathParam("stack"), req.name());
            return ApiResponse.created("/v1/stacks/" + s.stack() + "/stages/" + s.name(), StageView.of(s));
        });
        list("/v1/stacks/{stack}/stages", "List the stages of a stack", StageView.class, List.of(),
                ctx -> stages.list(api.principal(ctx), ctx.pathParam("stack")).stream().map(StageView::of).toList());
        list("/v1/stages", "List all stages the caller may see", StageView.class, List.of(),
                ctx -> stages.list(api.principal(ctx), null).stream().map(StageView::of).toList());
        get("/v1/stacks/{stack}/stages/{stage}", "Show a stage", StageView.class,
                ctx -> StageView.of(stages.get(api.principal(ctx), ctx.pathParam("stack"), ctx.pathParam("stage"))));
        delete("/v1/stacks/{stack}/stages/{stage}", "Delete a stage",
                ctx -> stages.delete(api.principal(ctx), ctx.pathParam("stack"), ctx.pathParam("stage")));
        routes.add(Route.of(io.javalin.http.HandlerType.GET, "/v1/stacks/{stack}/stages/{stage}/env",
                "The stage's connection contract (PG_*, MYSQL_*, REDIS_*, DATABASE_URL, REDIS_URL); ?reveal=true for passwords")
                .respondsWith(Views.EnvView.class).query(List.of(new QueryParam("reveal", "boolean",
                        "true: *_CREDENTIALS_SECRET and the URLs carry passwords (operators of the stack and admins)"),
                        new QueryParam("user", "string", "a managed user's credentials instead of the master user's (its instances only)")))
                .handledBy((ctx, body) -> ApiResponse.ok(new Views.EnvView(services.contract().env(api.principal(ctx), ctx.pathParam("stack"),
                        ctx.pathParam("stage"), "true".equals(ctx.queryParam("reveal")), ctx.queryParam("user"))))));

        list("/v1/operations", "List recent operations", OperationView.class,
                List.of(new QueryParam("limit", "integer", "how many, newest first (1-1000, default 100)")),
                ctx -> operations.list(api.principal(ctx), intParam(ctx, "limit", 100, 1, 1000)).stream()
                        .map(OperationView::of).toList());
        OperationLongPoll longPoll = new OperationLongPoll(operations, tokens::isActive);
        routes.add(Route.of(HandlerType.GET, "/v1/operations/{id}", "Show an operation; with If-None-Match (its ETag) and "
                        + "'Prefer: wait=N', answered when it changes, or 304 after N seconds (at most 25)")
                .respondsWith(OperationView.class)
                .handledBy((ctx, body) -> longPoll.get(api.principal(ctx), ctx.pathParam("id"), ctx)));

        list("/v1/events", "List events, oldest first", EventView.class,
                List.of(new QueryParam("after", "integer", "only events with a greater id"),
                        new QueryParam("limit", "integer", "at most this many (1-1000, default 100)")),
                ctx -> events.list(api.principal(ctx), longParam(ctx, "after"), intParam(ctx, "limit", 100, 1, 1000))
                        .stream().map(EventView::of).toList());

        post("/v1/tokens", "Create an API token; the secret is in the answer only (admin)", CreateTokenRequest.class,
                TokenView.class, (ctx, body) -> {
                    var req = Json.read(body, CreateTokenRequest.class);
                    var created = tokens.create(api.principal(ctx), req.name(), req.role(), req.stacks());
                    return ApiResponse.createdWithSecret("/v1/tokens/" + created.token().id(), TokenView.of(created.token(), created.secret()));
                });
        list("/v1/tokens", "List API tokens (admin)", TokenView.class, List.of(),
                ctx -> tokens.list(api.principal(ctx)).stream().map(t -> TokenView.of(t, null)).toList());
        delete("/v1/tokens/{id}", "Revoke an API token (admin)", ctx -> tokens.revoke(api.principal(ctx), ctx.pathParam("id")));
        new InstanceRoutes(api, services.instances(), services.externals(), services.backups(), services.engines(), this,
                services.replicas()).declare();
        new ExternalRoutes(api, services.externals(), services.backups(), this).declare();
        new UserRoutes(api, services.users(), services.externals(), this).declare();
        new BackupRoutes(api, services.backups(), this).declare();
        new StoreRoutes(api, services.backupStores(), this).declare();
        new SecretRoutes(api, services.secrets(), services.masterKeyRotation(), this).declare();
        new SecurityGroupRoutes(api, services.securityGroups(), this).declare();
        new BastionRoutes(api, services.bastion(), services.bastionEndpoint(), this).declare();
        routes.add(Route.of(io.javalin.http.HandlerType.GET, "/v1/ca",
                "The internal CA certificate (PEM) that signs the API's and every instance's certificate")
                .respondsWith(Views.CaView.class)
                .handledBy((ctx, body) -> {
                    api.principal(ctx);
                    return ApiResponse.ok(new Views.CaView(services.caPem()));
                }));
    }

    void add(Route route) {
        routes.add(route);
    }

    List<Route> routes() {
        return routes;
    }

    /** Declares a route outside the JSON conventions (health, SSE) so it appears in the OpenAPI document. */
    void document(HandlerType method, String path, boolean authenticated, String summary, Class<?> response,
                  List<QueryParam> query) {
        Route.Builder route = Route.of(method, path, summary).respondsWith(response).query(query);
        if (!authenticated) route.unauthenticated();
        routes.add(route.build());
    }

    private void post(String path, String summary, Class<?> req, Class<?> res, Route.RouteHandler h) {
        routes.add(Route.of(HandlerType.POST, path, summary).accepts(req).respondsWith(res).status(201)
                .handledBy(h));
    }

    private void get(String path, String summary, Class<?> res, Function<Context, Object> f) {
        routes.add(Route.of(HandlerType.GET, path, summary).respondsWith(res)
                .handledBy((ctx, body) -> ApiResponse.ok(f.apply(ctx))));
    }

    private void list(String path, String summary, Class<?> item, List<QueryParam> query, Function<Context, Object> f) {
        routes.add(Route.of(HandlerType.GET, path, summary).respondsWithListOf(item).query(query)
                .handledBy((ctx, body) -> ApiResponse.ok(f.apply(ctx))));
    }

    private void delete(String path, String summary, java.util.function.Consumer<Context> f) {
        routes.add(Route.of(HandlerType.DELETE, path, summary).status(204)
                .handledBy((ctx, body) -> {
            f.accept(ctx);
            return ApiResponse.noContent();
        }));
    }

    static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ValidationException.of(name, "must be a whole number from " + min + " to " + max + ", was '" + v + "'");
    }

    static Long longParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) return null;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ValidationException.of(name, "must be a whole number (an event id), was '" + v + "'");
        }
    }
}

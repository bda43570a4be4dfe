package io.stratum.server.http;

import io.javalin.http.HandlerType;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.model.Operation;
import io.stratum.core.service.InstanceService;
import io.stratum.server.http.InstanceViews.CreateInstanceBody;
import io.stratum.server.http.InstanceViews.CredentialsView;
import io.stratum.server.http.InstanceViews.EngineView;
import io.stratum.server.http.InstanceViews.InstanceView;
import io.stratum.server.http.InstanceViews.ModifyInstanceBody;
import io.stratum.server.http.Route.QueryParam;
import java.util.List;

/** /v1/instances and /v1/engines. Long changes answer 202 with the operation and its Location. */
final class InstanceRoutes {
    private final RestApi api;
    private final InstanceService instances;
    private final EngineRegistry engines;
    private final ApiRoutes routes;

    InstanceRoutes(RestApi api, InstanceService instances, EngineRegistry engines, ApiRoutes routes) {
        this.api = api;
        this.instances = instances;
        this.engines = engines;
        this.routes = routes;
    }

    void declare() {
        routes.add(new Route(HandlerType.GET, "/v1/engines", true, "Engines, versions found on this host, features, parameters",
                null, EngineView.class, true, 200, List.of(), (ctx, body) -> {
                    api.principal(ctx);
                    return ApiResponse.ok(engines.all().stream().map(EngineView::of).toList());
                }));
        routes.add(new Route(HandlerType.POST, "/v1/instances", true, "Create an instance (202 + operation)",
                CreateInstanceBody.class, Views.OperationView.class, false, 202, List.of(),
                (ctx, body) -> accepted(instances.create(api.principal(ctx), Json.read(body, CreateInstanceBody.class).toRequest()))));
        routes.add(new Route(HandlerType.GET, "/v1/instances", true, "List instances", null, InstanceView.class, true, 200,
                List.of(), (ctx, body) -> ApiResponse.ok(instances.list(api.principal(ctx)).stream().map(this::view).toList())));
        routes.add(new Route(HandlerType.GET, "/v1/instances/{name}", true, "Show an instance", null, InstanceView.class, false,
                200, List.of(), (ctx, body) -> ApiResponse.ok(view(instances.get(api.principal(ctx), ctx.pathParam("name"))))));
        routes.add(new Route(HandlerType.PATCH, "/v1/instances/{name}", true,
                "Modify an instance; class and static parameters wait for a reboot unless applyImmediately",
                ModifyInstanceBody.class, Views.OperationView.class, false, 202, List.of(),
                (ctx, body) -> accepted(instances.modify(api.principal(ctx), ctx.pathParam("name"),
                        Json.read(body, ModifyInstanceBody.class).toRequest()))));
        routes.add(new Route(HandlerType.DELETE, "/v1/instances/{name}", true,
                "Delete an instance: needs ?confirm=NAME, refuses with deletion protection", null, Views.OperationView.class,
                false, 202, List.of(new QueryParam("confirm", "string", "the instance's name, typed again"),
                        new QueryParam("skipFinalSnapshot", "boolean", "true: delete without a final snapshot")),
                (ctx, body) -> accepted(instances.delete(api.principal(ctx), ctx.pathParam("name"), ctx.queryParam("confirm"),
                        "true".equals(ctx.queryParam("skipFinalSnapshot"))))));
        action("stop", "Stop an instance (its data stays)", InstanceService::stop);
        action("start", "Start a stopped instance", InstanceService::start);
        action("reboot", "Reboot an instance, applying pending modifications", InstanceService::reboot);
        action("rotate-password", "Rotate the master password (a new secret version once the engine accepts it)",
                InstanceService::rotatePassword);
        routes.add(new Route(HandlerType.GET, "/v1/instances/{name}/credentials", true,
                "The master credentials (operators of the stack and admins; the read is an event)", null,
                CredentialsView.class, false, 200, List.of(), (ctx, body) -> {
                    var c = instances.masterCredentials(api.principal(ctx), ctx.pathParam("name"));
                    return ApiResponse.ok(new CredentialsView(c.engine(), c.host(), c.port(), c.username(), c.password(), c.database()));
                }));
    }

    private interface Action {
        Operation apply(InstanceService s, io.stratum.core.auth.Principal p, String name);
    }

    private void action(String verb, String summary, Action a) {
        routes.add(new Route(HandlerType.POST, "/v1/instances/{name}/" + verb, true, summary + " (202 + operation)", null,
                Views.OperationView.class, false, 202, List.of(),
                (ctx, body) -> accepted(a.apply(instances, api.principal(ctx), ctx.pathParam("name")))));
    }

    private InstanceView view(io.stratum.core.instance.Instance i) {
        return InstanceView.of(i, instances.endpointHost(), instances.enforcement().wireName(), instances.ingress(i));
    }

    static ApiResponse accepted(Operation op) {
        return new ApiResponse(202, "/v1/operations/" + op.id(), Views.OperationView.of(op));
    }

}

package io.stratum.server.http;

import io.javalin.http.HandlerType;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.model.Operation;
import io.stratum.core.service.ExternalService;
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
    private final ExternalService externals;
    private final io.stratum.core.service.BackupService backups;
    private final io.stratum.core.service.ReplicaService replicas;

    InstanceRoutes(RestApi api, InstanceService instances, ExternalService externals, io.stratum.core.service.BackupService backups,
                   EngineRegistry engines, ApiRoutes routes, io.stratum.core.service.ReplicaService replicas) {
        this.replicas = replicas;
        this.externals = externals;
        this.backups = backups;
        this.api = api;
        this.instances = instances;
        this.engines = engines;
        this.routes = routes;
    }

    void declare() {
        routes.add(Route.of(HandlerType.GET, "/v1/engines", "Engines, versions found on this host, features, parameters")
                .respondsWithListOf(EngineView.class)
                .handledBy((ctx, body) -> {
                    api.principal(ctx);
                    return ApiResponse.ok(engines.all().stream().map(EngineView::of).toList());
                }));
        routes.add(Route.of(HandlerType.POST, "/v1/instances", "Create an instance (202 + operation)")
                .accepts(CreateInstanceBody.class).respondsWith(Views.OperationView.class).status(202)
                .handledBy((ctx, body) -> accepted(instances.create(api.principal(ctx), Json.read(body, CreateInstanceBody.class).toRequest()))));
        routes.add(Route.of(HandlerType.GET, "/v1/instances", "List instances")
                .respondsWithListOf(InstanceView.class)
                .handledBy((ctx, body) -> {
                    var p = api.principal(ctx);
                    List<InstanceView> all = new java.util.ArrayList<>(instances.list(p).stream().map(this::view).toList());
                    externals.list(p).forEach(e -> all.add(InstanceViews.ofExternal(e, facts(e.name()))));
                    return ApiResponse.ok(all);
                }));
        routes.add(Route.of(HandlerType.GET, "/v1/instances/{name}", "Show an instance")
                .respondsWith(InstanceView.class)
                .handledBy((ctx, body) -> {
                    var p = api.principal(ctx);
                    var ext = externals.find(p, ctx.pathParam("name"));
                    return ApiResponse.ok(ext.isPresent() ? InstanceViews.ofExternal(ext.get(), facts(ext.get().name())) : view(instances.get(p, ctx.pathParam("name"))));
                }));
        routes.add(Route.of(HandlerType.PATCH, "/v1/instances/{name}",
                "Modify an instance; class and static parameters wait for a reboot unless applyImmediately")
                .accepts(ModifyInstanceBody.class).respondsWith(Views.OperationView.class).status(202)
                .handledBy((ctx, body) -> accepted(instances.modify(notExternal(ctx, "modify"), ctx.pathParam("name"),
                        Json.read(body, ModifyInstanceBody.class).toRequest()))));
        routes.add(Route.of(HandlerType.DELETE, "/v1/instances/{name}",
                "Delete an instance: needs ?confirm=NAME, refuses with deletion protection")
                .respondsWith(Views.OperationView.class).status(202).query(List.of(new QueryParam("confirm", "string", "the instance's name, typed again"),
                        new QueryParam("skipFinalSnapshot", "boolean", "true: delete without a final snapshot")))
                .handledBy((ctx, body) -> accepted(instances.delete(notExternal(ctx, "delete"), ctx.pathParam("name"), ctx.queryParam("confirm"),
                        "true".equals(ctx.queryParam("skipFinalSnapshot"))))));
        routes.add(Route.of(HandlerType.POST, "/v1/instances/{name}/replicas",
                "Create a read replica of the instance (RDS CreateDBInstanceReadReplica; 202 + operation)")
                .accepts(InstanceViews.CreateReplicaBody.class).respondsWith(Views.OperationView.class).status(202)
                .handledBy((ctx, body) -> accepted(replicas.create(notExternal(ctx, "replicate"),
                        Json.read(body, InstanceViews.CreateReplicaBody.class).toRequest(ctx.pathParam("name"))))));
        routes.add(Route.of(HandlerType.POST, "/v1/instances/{name}/promote",
                "Promote a read replica to a standalone, writable instance: needs ?confirm=NAME (202 + operation)")
                .respondsWith(Views.OperationView.class).status(202)
                .query(List.of(new QueryParam("confirm", "string", "the replica's name, typed again")))
                .handledBy((ctx, body) -> accepted(replicas.promote(notExternal(ctx, "promote"), ctx.pathParam("name"),
                        ctx.queryParam("confirm")))));
        action("stop", "Stop an instance (its data stays)", InstanceService::stop);
        action("start", "Start a stopped instance", InstanceService::start);
        action("reboot", "Reboot an instance, applying pending modifications", InstanceService::reboot);
        action("rotate-password", "Rotate the master password (a new secret version once the engine accepts it)",
                InstanceService::rotatePassword);
        routes.add(Route.of(HandlerType.GET, "/v1/instances/{name}/credentials",
                "The master credentials (operators of the stack and admins; the read is an event)")
                .respondsWith(CredentialsView.class)
                .handledBy((ctx, body) -> {
                    var p = api.principal(ctx);
                    var c = externals.find(p, ctx.pathParam("name")).isPresent()
                            ? externals.masterCredentials(p, ctx.pathParam("name")) : instances.masterCredentials(p, ctx.pathParam("name"));
                    return ApiResponse.ok(new CredentialsView(c.engine(), c.host(), c.port(), c.username(), c.password(), c.database()));
                }));
    }

    private interface Action {
        Operation apply(InstanceService s, io.stratum.core.auth.Principal p, String name);
    }

    private void action(String verb, String summary, Action a) {
        routes.add(Route.of(HandlerType.POST, "/v1/instances/{name}/" + verb, summary + " (202 + operation)")
                .respondsWith(Views.OperationView.class).status(202)
                .handledBy((ctx, body) -> accepted(a.apply(instances, notExternal(ctx, verb), ctx.pathParam("name")))));
    }

    /** The caller, unless the instance is external: Stratum does not run those, so lifecycle actions cannot apply. */
    private io.stratum.core.auth.Principal notExternal(io.javalin.http.Context ctx, String verb) {
        var p = api.principal(ctx);
        String name = ctx.pathParam("name");
        if (externals.find(p, name).isPresent()) {
            throw new io.stratum.core.error.ConflictException("external-instance", "'" + name + "' is an external instance: Stratum "
                    + "does not run it, so it cannot " + verb + " it; do that at your provider"
                    + (verb.equals("delete") ? ", or forget it here with 'stratum external delete " + name + " --confirm " + name + "'" : ""));
        }
        return p;
    }

    private InstanceView view(io.stratum.core.instance.Instance i) {
        return InstanceView.of(i, instances.endpointHost(), instances.enforcement().wireName(), instances.ingress(i), facts(i.name()),
                instances.isolation(i), new InstanceViews.ReplicationFacts(replicas.replicasOf(i.name()).stream()
                        .map(io.stratum.core.instance.Instance::name).toList(), replicas.replication(i.name()).orElse(null)));
    }

    private InstanceViews.BackupFacts facts(String name) {
        return InstanceViews.BackupFacts.of(backups, name);
    }

    static ApiResponse accepted(Operation op) {
        return new ApiResponse(202, "/v1/operations/" + op.id(), Views.OperationView.of(op), false);
    }

}

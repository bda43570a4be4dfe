package io.stratum.server.http;

import io.javalin.http.HandlerType;
import io.stratum.core.backup.Backup;
import io.stratum.core.service.BackupService;
import io.stratum.server.http.Route.QueryParam;
import java.time.Instant;
import java.util.List;

/** /v1/backups: backups of managed and external instances, restores into new instances, restore drills; backup policies. */
final class BackupRoutes {
    record CreateBody(String store, Boolean fromReplica) {}

    record RestoreBody(String to, @com.fasterxml.jackson.annotation.JsonProperty("class") String instanceClass, String stack,
                       String stage, String into, String confirm) {}

    record PolicyBody(String backupStore, String drill) {}

    record PolicyView(String instance, String backupStore, String drill) {}

    record DrillView(String status, Instant at, long millis, String detail) {}

    record BackupView(String id, String instance, String engine, String version, String kind, String status, String stack, String stage,
                      String store, String sha256, String manifestSha256, long chunks, long dumpBytes, long storedBytes, String error,
                      Instant createdAt, Instant completedAt, DrillView drill, String takenFrom) {
        static BackupView of(Backup b) {
            return new BackupView(b.id(), b.instance(), b.engine(), b.version(), b.kind(), b.status().wireName(), b.stack(), b.stage(),
                    b.store(), b.sha256(), b.manifestSha256(), b.chunks(), b.dumpBytes(), b.storedBytes(), b.error(), b.createdAt(),
                    b.completedAt(), b.drill() == null ? null : new DrillView(b.drill().status().wireName(), b.drill().at(),
                            b.drill().millis(), b.drill().detail()), b.origin().takenFrom());
        }
    }

    private final RestApi api;
    private final BackupService backups;
    private final ApiRoutes routes;

    BackupRoutes(RestApi api, BackupService backups, ApiRoutes routes) {
        this.api = api;
        this.backups = backups;
        this.routes = routes;
    }

    void declare() {
        routes.add(Route.of(HandlerType.POST, "/v1/instances/{name}/backups",
                "Take a manual backup of a managed or external instance (202 + operation)")
                .accepts(CreateBody.class).respondsWith(Views.OperationView.class).status(202)
                .handledBy((ctx, body) -> {
                    CreateBody b = body == null || body.isBlank() ? new CreateBody(null, null) : Json.read(body, CreateBody.class);
                    return InstanceRoutes.accepted(backups.create(api.principal(ctx), ctx.pathParam("name"), b.store(),
                            Boolean.TRUE.equals(b.fromReplica())));
                }));
        routes.add(Route.of(HandlerType.PUT, "/v1/instances/{name}/backup-policy",
                "Set where the instance's backups go and how often they are drilled")
                .accepts(PolicyBody.class).respondsWith(PolicyView.class)
                .handledBy((ctx, body) -> {
                    PolicyBody b = Json.read(body, PolicyBody.class);
                    var p = backups.changePolicy(api.principal(ctx), ctx.pathParam("name"), b.backupStore(), b.drill());
                    return ApiResponse.ok(new PolicyView(p.instance(), p.store(), p.drill().wireName()));
                }));
        routes.add(Route.of(HandlerType.GET, "/v1/backups", "List backups, newest first")
                .respondsWithListOf(BackupView.class).query(List.of(new QueryParam("instance", "string", "only this instance's backups")))
                .handledBy((ctx, body) -> ApiResponse.ok(backups.list(api.principal(ctx), ctx.queryParam("instance")).stream().map(BackupView::of).toList())));
        routes.add(Route.of(HandlerType.GET, "/v1/backups/{id}", "Show a backup").respondsWith(BackupView.class)
                .handledBy((ctx, body) -> ApiResponse.ok(BackupView.of(backups.get(api.principal(ctx), ctx.pathParam("id"))))));
        routes.add(Route.of(HandlerType.POST, "/v1/backups/{id}/restore",
                "Restore into a new instance ('to') or, replacing its data after a pre-restore snapshot, an existing one "
                        + "('into' + 'confirm'); the archive is checked first (202 + operation)")
                .accepts(RestoreBody.class).respondsWith(Views.OperationView.class).status(202)
                .handledBy((ctx, body) -> {
                    RestoreBody b = Json.read(body, RestoreBody.class);
                    if (b.into() != null) {
                        if (b.to() != null) throw io.stratum.core.error.ValidationException.of("into", "give 'to' (a new instance) or 'into', not both");
                        return InstanceRoutes.accepted(backups.restoreInto(api.principal(ctx), ctx.pathParam("id"), b.into(), b.confirm()));
                    }
                    return InstanceRoutes.accepted(backups.restore(api.principal(ctx), ctx.pathParam("id"), b.to(), b.instanceClass(),
                            b.stack(), b.stage()));
                }));
        routes.add(Route.of(HandlerType.POST, "/v1/backups/{id}/verify",
                "Restore drill: restore into a scratch instance, compare with the manifest, remove it (202 + operation)")
                .respondsWith(Views.OperationView.class).status(202)
                .handledBy((ctx, body) -> InstanceRoutes.accepted(backups.verify(api.principal(ctx), ctx.pathParam("id")))));
        routes.add(Route.of(HandlerType.DELETE, "/v1/backups/{id}", "Delete a backup (needs ?confirm=ID)")
                .status(204).query(List.of(new QueryParam("confirm", "string", "the backup's id, typed again")))
                .handledBy((ctx, body) -> {
                    backups.delete(api.principal(ctx), ctx.pathParam("id"), ctx.queryParam("confirm"));
                    return ApiResponse.noContent();
                }));
    }
}

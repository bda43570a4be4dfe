package io.stratum.server.http;

import io.javalin.http.HandlerType;
import io.stratum.core.backup.Backup;
import io.stratum.core.service.BackupService;
import io.stratum.server.http.Route.QueryParam;
import java.time.Instant;
import java.util.List;

/** /v1/backups: manual and final backups, restores into new instances. */
final class BackupRoutes {
    record RestoreBody(String to, @com.fasterxml.jackson.annotation.JsonProperty("class") String instanceClass, String stack,
                       String stage) {}

    record BackupView(String id, String instance, String engine, String version, String kind, String status, String stack, String stage,
                      String sha256, long chunks, long dumpBytes, long storedBytes, String error, Instant createdAt, Instant completedAt) {
        static BackupView of(Backup b) {
            return new BackupView(b.id(), b.instance(), b.engine(), b.version(), b.kind(), b.status().wireName(), b.stack(), b.stage(),
                    b.sha256(), b.chunks(), b.dumpBytes(), b.storedBytes(), b.error(), b.createdAt(), b.completedAt());
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
        routes.add(new Route(HandlerType.POST, "/v1/instances/{name}/backups", true, "Take a manual backup (202 + operation)", null,
                Views.OperationView.class, false, 202, List.of(),
                (ctx, body) -> InstanceRoutes.accepted(backups.create(api.principal(ctx), ctx.pathParam("name")))));
        routes.add(new Route(HandlerType.GET, "/v1/backups", true, "List backups, newest first", null, BackupView.class, true, 200,
                List.of(new QueryParam("instance", "string", "only this instance's backups")),
                (ctx, body) -> ApiResponse.ok(backups.list(api.principal(ctx), ctx.queryParam("instance")).stream().map(BackupView::of).toList())));
        routes.add(new Route(HandlerType.GET, "/v1/backups/{id}", true, "Show a backup", null, BackupView.class, false, 200, List.of(),
                (ctx, body) -> ApiResponse.ok(BackupView.of(backups.get(api.principal(ctx), ctx.pathParam("id"))))));
        routes.add(new Route(HandlerType.POST, "/v1/backups/{id}/restore", true,
                "Restore into a new instance (the archive is checked first; 202 + the create operation)", RestoreBody.class,
                Views.OperationView.class, false, 202, List.of(), (ctx, body) -> {
                    RestoreBody b = Json.read(body, RestoreBody.class);
                    return InstanceRoutes.accepted(backups.restore(api.principal(ctx), ctx.pathParam("id"), b.to(), b.instanceClass(),
                            b.stack(), b.stage()));
                }));
        routes.add(new Route(HandlerType.DELETE, "/v1/backups/{id}", true, "Delete a backup (needs ?confirm=ID)", null, null, false, 204,
                List.of(new QueryParam("confirm", "string", "the backup's id, typed again")), (ctx, body) -> {
                    backups.delete(api.principal(ctx), ctx.pathParam("id"), ctx.queryParam("confirm"));
                    return ApiResponse.noContent();
                }));
    }
}

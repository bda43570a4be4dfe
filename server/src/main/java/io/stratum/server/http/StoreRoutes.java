package io.stratum.server.http;

import io.javalin.http.HandlerType;
import io.stratum.core.backup.BackupStore;
import io.stratum.core.service.BackupStoreService;
import io.stratum.server.http.Route.QueryParam;
import java.time.Instant;
import java.util.List;

/** /v1/stores: where backups go (directories and S3-compatible buckets); admin only. */
final class StoreRoutes {
    record AddBody(String name, String dir, String s3Endpoint, String bucket, String region, String prefix, String accessKey,
                   String secretKey, Boolean pathStyle, Boolean createBucket, Boolean create) {
        @Override
        public String toString() {
            return "AddBody[" + name + ", secret redacted]";
        }
    }

    record StoreView(String name, String type, String location, String bucket, String region, String prefix, String accessKey,
                     boolean pathStyle, Instant createdAt) {
        static StoreView of(BackupStore s) {
            return new StoreView(s.name(), s.type().wireName(), s.describe(), s.bucket(), s.region(), s.prefix(), s.accessKey(), s.pathStyle(),
                    s.createdAt());
        }
    }

    private final RestApi api;
    private final BackupStoreService stores;
    private final ApiRoutes routes;

    StoreRoutes(RestApi api, BackupStoreService stores, ApiRoutes routes) {
        this.api = api;
        this.stores = stores;
        this.routes = routes;
    }

    void declare() {
        routes.add(Route.of(HandlerType.POST, "/v1/stores",
                "Add a backup store (checked by writing, reading and deleting an object)")
                .accepts(AddBody.class).respondsWith(StoreView.class).status(201)
                .handledBy((ctx, body) -> {
                    AddBody b = Json.read(body, AddBody.class);
                    BackupStore s = stores.add(api.principal(ctx), new BackupStoreService.AddRequest(b.name(), b.dir(), b.s3Endpoint(),
                            b.bucket(), b.region(), b.prefix(), b.accessKey(), b.secretKey(), Boolean.TRUE.equals(b.pathStyle()),
                            Boolean.TRUE.equals(b.createBucket()) || Boolean.TRUE.equals(b.create())));
                    return new ApiResponse(201, "/v1/stores/" + s.name(), StoreView.of(s), false);
                }));
        routes.add(Route.of(HandlerType.GET, "/v1/stores", "List backup stores")
                .respondsWithListOf(StoreView.class)
                .handledBy((ctx, body) -> ApiResponse.ok(stores.list(api.principal(ctx)).stream().map(StoreView::of).toList())));
        routes.add(Route.of(HandlerType.GET, "/v1/stores/{name}", "Show a backup store")
                .respondsWith(StoreView.class)
                .handledBy((ctx, body) -> ApiResponse.ok(StoreView.of(stores.get(api.principal(ctx), ctx.pathParam("name"))))));
        routes.add(Route.of(HandlerType.DELETE, "/v1/stores/{name}",
                "Delete a backup store that holds no backups (needs ?confirm=NAME)")
                .status(204).query(List.of(new QueryParam("confirm", "string", "the store's name, typed again")))
                .handledBy((ctx, body) -> {
                    stores.delete(api.principal(ctx), ctx.pathParam("name"), ctx.queryParam("confirm"));
                    return ApiResponse.noContent();
                }));
    }
}

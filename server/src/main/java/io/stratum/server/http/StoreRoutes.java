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
        routes.add(new Route(HandlerType.POST, "/v1/stores", true, "Add a backup store (checked by writing, reading and deleting an object)",
                AddBody.class, StoreView.class, false, 201, List.of(), (ctx, body) -> {
                    AddBody b = Json.read(body, AddBody.class);
                    BackupStore s = stores.add(api.principal(ctx), new BackupStoreService.AddRequest(b.name(), b.dir(), b.s3Endpoint(),
                            b.bucket(), b.region(), b.prefix(), b.accessKey(), b.secretKey(), Boolean.TRUE.equals(b.pathStyle()),
                            Boolean.TRUE.equals(b.createBucket()) || Boolean.TRUE.equals(b.create())));
                    return new ApiResponse(201, "/v1/stores/" + s.name(), StoreView.of(s), false);
                }));
        routes.add(new Route(HandlerType.GET, "/v1/stores", true, "List backup stores", null, StoreView.class, true, 200, List.of(),
                (ctx, body) -> ApiResponse.ok(stores.list(api.principal(ctx)).stream().map(StoreView::of).toList())));
        routes.add(new Route(HandlerType.GET, "/v1/stores/{name}", true, "Show a backup store", null, StoreView.class, false, 200, List.of(),
                (ctx, body) -> ApiResponse.ok(StoreView.of(stores.get(api.principal(ctx), ctx.pathParam("name"))))));
        routes.add(new Route(HandlerType.DELETE, "/v1/stores/{name}", true, "Delete a backup store that holds no backups (needs ?confirm=NAME)",
                null, null, false, 204, List.of(new QueryParam("confirm", "string", "the store's name, typed again")), (ctx, body) -> {
                    stores.delete(api.principal(ctx), ctx.pathParam("name"), ctx.queryParam("confirm"));
                    return ApiResponse.noContent();
                }));
    }
}

package io.stratum.server.http;

import io.javalin.http.HandlerType;
import io.stratum.core.network.SecurityGroup;
import io.stratum.core.service.SecurityGroupService;
import io.stratum.server.http.Route.QueryParam;
import java.time.Instant;
import java.util.List;

/** /v1/security-groups: groups and their ingress rules. */
final class SecurityGroupRoutes {
    record CreateGroupBody(String name, String description) {}

    record RuleBody(String cidr, Integer port) {}

    record RuleView(String cidr, Integer port) {}

    record GroupView(String name, String description, List<RuleView> rules, Instant createdAt) {
        static GroupView of(SecurityGroup g) {
            return new GroupView(g.name(), g.description(), g.rules().stream().map(r -> new RuleView(r.cidr().toString(), r.port())).toList(),
                    g.createdAt());
        }
    }

    record InstanceLayersView(String instance, String engine, int port, String status, List<InstanceViews.IngressView> rules,
                              List<String> kernel, List<String> engineRules) {}

    record CheckView(String group, String enforcement, String note, List<InstanceLayersView> instances) {
        static CheckView of(SecurityGroupService.Check c) {
            return new CheckView(c.group().name(), c.enforcement().wireName(), c.note(), c.instances().stream()
                    .map(i -> new InstanceLayersView(i.instance(), i.engine(), i.port(), i.status(),
                            i.rules().stream().map(InstanceViews.IngressView::of).toList(), i.kernelLayer(), i.engineLayer()))
                    .toList());
        }
    }

    private final RestApi api;
    private final SecurityGroupService groups;
    private final ApiRoutes routes;

    SecurityGroupRoutes(RestApi api, SecurityGroupService groups, ApiRoutes routes) {
        this.api = api;
        this.groups = groups;
        this.routes = routes;
    }

    void declare() {
        routes.add(new Route(HandlerType.POST, "/v1/security-groups", true, "Create a security group (admin)", CreateGroupBody.class,
                GroupView.class, false, 201, List.of(), (ctx, body) -> {
                    CreateGroupBody b = Json.read(body, CreateGroupBody.class);
                    var g = groups.create(api.principal(ctx), b.name(), b.description());
                    return ApiResponse.created("/v1/security-groups/" + g.name(), GroupView.of(g));
                }));
        routes.add(new Route(HandlerType.GET, "/v1/security-groups", true, "List security groups", null, GroupView.class, true, 200,
                List.of(), (ctx, body) -> ApiResponse.ok(groups.list(api.principal(ctx)).stream().map(GroupView::of).toList())));
        routes.add(new Route(HandlerType.GET, "/v1/security-groups/{name}", true, "Show a security group and its rules", null,
                GroupView.class, false, 200, List.of(),
                (ctx, body) -> ApiResponse.ok(GroupView.of(groups.get(api.principal(ctx), ctx.pathParam("name"))))));
        routes.add(new Route(HandlerType.GET, "/v1/security-groups/{name}/check", true,
                "What each layer enforces for every instance the group is attached to", null, CheckView.class, false, 200, List.of(),
                (ctx, body) -> ApiResponse.ok(CheckView.of(groups.check(api.principal(ctx), ctx.pathParam("name"))))));
        routes.add(new Route(HandlerType.DELETE, "/v1/security-groups/{name}", true, "Delete a security group (refused while attached)",
                null, null, false, 204, List.of(), (ctx, body) -> {
                    groups.delete(api.principal(ctx), ctx.pathParam("name"));
                    return ApiResponse.noContent();
                }));
        routes.add(new Route(HandlerType.POST, "/v1/security-groups/{name}/rules", true, "Authorize ingress from a CIDR (admin)",
                RuleBody.class, GroupView.class, false, 201, List.of(), (ctx, body) -> {
                    RuleBody b = Json.read(body, RuleBody.class);
                    var g = groups.authorize(api.principal(ctx), ctx.pathParam("name"), b.cidr(), b.port());
                    return ApiResponse.created("/v1/security-groups/" + g.name(), GroupView.of(g));
                }));
        routes.add(new Route(HandlerType.DELETE, "/v1/security-groups/{name}/rules", true, "Revoke an ingress rule (admin)", null,
                GroupView.class, false, 200, List.of(new QueryParam("cidr", "string", "the rule's CIDR"),
                        new QueryParam("port", "integer", "the rule's port, if it has one")), (ctx, body) -> {
                    Integer port = ctx.queryParam("port") == null ? null : ApiRoutes.intParam(ctx, "port", 0, 1, 65535);
                    var g = groups.revoke(api.principal(ctx), ctx.pathParam("name"), ctx.queryParam("cidr"), port);
                    return ApiResponse.ok(GroupView.of(g));
                }));
    }
}

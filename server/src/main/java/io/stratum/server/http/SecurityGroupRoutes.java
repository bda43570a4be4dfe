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
        routes.add(Route.of(HandlerType.POST, "/v1/security-groups", "Create a security group (admin)")
                .accepts(CreateGroupBody.class).respondsWith(GroupView.class).status(201)
                .handledBy((ctx, body) -> {
                    CreateGroupBody b = Json.read(body, CreateGroupBody.class);
                    var g = groups.create(api.principal(ctx), b.name(), b.description());
                    return ApiResponse.created("/v1/security-groups/" + g.name(), GroupView.of(g));
                }));
        routes.add(Route.of(HandlerType.GET, "/v1/security-groups", "List security groups")
                .respondsWithListOf(GroupView.class)
                .handledBy((ctx, body) -> ApiResponse.ok(groups.list(api.principal(ctx)).stream().map(GroupView::of).toList())));
        routes.add(Route.of(HandlerType.GET, "/v1/security-groups/{name}", "Show a security group and its rules")
                .respondsWith(GroupView.class)
                .handledBy((ctx, body) -> ApiResponse.ok(GroupView.of(groups.get(api.principal(ctx), ctx.pathParam("name"))))));
        routes.add(Route.of(HandlerType.GET, "/v1/security-groups/{name}/check",
                "What each layer enforces for every instance the group is attached to")
                .respondsWith(CheckView.class)
                .handledBy((ctx, body) -> ApiResponse.ok(CheckView.of(groups.check(api.principal(ctx), ctx.pathParam("name"))))));
        routes.add(Route.of(HandlerType.DELETE, "/v1/security-groups/{name}", "Delete a security group (refused while attached)")
                .status(204)
                .handledBy((ctx, body) -> {
                    groups.delete(api.principal(ctx), ctx.pathParam("name"));
                    return ApiResponse.noContent();
                }));
        routes.add(Route.of(HandlerType.POST, "/v1/security-groups/{name}/rules", "Authorize ingress from a CIDR (admin)")
                .accepts(RuleBody.class).respondsWith(GroupView.class).status(201)
                .handledBy((ctx, body) -> {
                    RuleBody b = Json.read(body, RuleBody.class);
                    var g = groups.authorize(api.principal(ctx), ctx.pathParam("name"), b.cidr(), b.port());
                    return ApiResponse.created("/v1/security-groups/" + g.name(), GroupView.of(g));
                }));
        routes.add(Route.of(HandlerType.DELETE, "/v1/security-groups/{name}/rules", "Revoke an ingress rule (admin)")
                .respondsWith(GroupView.class).query(List.of(new QueryParam("cidr", "string", "the rule's CIDR"),
                        new QueryParam("port", "integer", "the rule's port, if it has one")))
                .handledBy((ctx, body) -> {
                    Integer port = ctx.queryParam("port") == null ? null : ApiRoutes.intParam(ctx, "port", 0, 1, 65535);
                    var g = groups.revoke(api.principal(ctx), ctx.pathParam("name"), ctx.queryParam("cidr"), port);
                    return ApiResponse.ok(GroupView.of(g));
                }));
    }
}

package io.stratum.server.http;

import io.javalin.http.HandlerType;
import io.stratum.core.service.ExternalService;
import io.stratum.server.http.InstanceViews.InstanceView;
import io.stratum.server.http.Route.QueryParam;
import java.util.List;

/** /v1/externals: register, show and forget databases Stratum connects to but does not run. */
final class ExternalRoutes {
    /** The password and SSH private key travel in the body (over TLS) and go straight to the secret store. */
    record RegisterBody(String name, String engine, String host, Integer port, String user, String password, String database,
                        String stack, String stage, String tls, String sshHost, Integer sshPort, String sshUser, String sshKey,
                        String sshHostKey, Boolean contractViaTunnel, String caPem) {
        @Override
        public String toString() {
            return "RegisterBody[" + name + ", secrets redacted]";
        }
    }

    record RegisteredView(InstanceView instance, String sshHostKey, String sshHostKeyFingerprint, boolean trustedOnFirstUse) {}

    private final RestApi api;
    private final ExternalService externals;
    private final io.stratum.core.service.BackupService backups;
    private final ApiRoutes routes;

    ExternalRoutes(RestApi api, ExternalService externals, io.stratum.core.service.BackupService backups, ApiRoutes routes) {
        this.api = api;
        this.externals = externals;
        this.backups = backups;
        this.routes = routes;
    }

    void declare() {
        routes.add(Route.of(HandlerType.POST, "/v1/externals",
                "Register an external database (checked through its tunnel, or directly, before anything is recorded)")
                .accepts(RegisterBody.class).respondsWith(RegisteredView.class).status(201)
                .handledBy((ctx, body) -> {
                    RegisterBody b = Json.read(body, RegisterBody.class);
                    var r = externals.register(api.principal(ctx), new ExternalService.RegisterRequest(b.name(), b.engine(), b.host(),
                            b.port(), b.user(), b.database(), b.stack(), b.stage(), b.tls(), b.sshHost(), b.sshPort(), b.sshUser(),
                            b.sshHostKey(), b.contractViaTunnel(), b.caPem()), b.password(), b.sshKey());
                    return ApiResponse.created("/v1/instances/" + r.instance().name(), new RegisteredView(
                            InstanceViews.ofExternal(r.instance(), InstanceViews.BackupFacts.of(backups, r.instance().name())), r.hostKey(),
                            r.hostKey() == null ? null : io.stratum.ssh.SshTunnels.fingerprint(r.hostKey()), r.trustedOnFirstUse()));
                }));
        routes.add(Route.of(HandlerType.GET, "/v1/externals", "List external instances")
                .respondsWithListOf(InstanceView.class)
                .handledBy((ctx, body) -> ApiResponse.ok(externals.list(api.principal(ctx)).stream()
                        .map(e -> InstanceViews.ofExternal(e, InstanceViews.BackupFacts.of(backups, e.name()))).toList())));
        routes.add(Route.of(HandlerType.DELETE, "/v1/externals/{name}",
                "Forget an external instance (needs ?confirm=NAME; the database at the provider is untouched)")
                .status(204).query(List.of(new QueryParam("confirm", "string", "the instance's name, typed again")))
                .handledBy((ctx, body) -> {
                    externals.delete(api.principal(ctx), ctx.pathParam("name"), ctx.queryParam("confirm"));
                    return ApiResponse.noContent();
                }));
    }
}

package io.stratum.server.http;

import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.stratum.core.port.MetadataStore;
import io.stratum.core.service.EventService;
import io.stratum.server.ServerOptions;
import io.stratum.server.security.InternalCa;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door: Javalin on one TLS connector (and the same routes on a local Unix socket for this host's CLI), the /v1
 * routes, health, OpenAPI and the event stream.
 */
public final class HttpFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
    private final Javalin app;
    private final ServerConnector connector;
    private final Optional<UnixDomainServerConnector> socket;
    private final EventStream stream;

    private HttpFront(Javalin app, ServerConnector connector, Optional<UnixDomainServerConnector> socket, EventStream stream) {
        this.app = app;
        this.connector = connector;
        this.socket = socket;
        this.stream = stream;
    }

    public static HttpFront start(ServerOptions options, InternalCa ca, InternalCa.Issued cert, MetadataStore store,
                                  Clock clock, io.stratum.server.StratumServer.Services services) {
        RestApi api = new RestApi(services.tokens(), new Idempotency(store, clock));
        ApiRoutes routes = new ApiRoutes(api, services);
        EventService events = services.events();
        routes.document(HandlerType.GET, "/v1/events/stream", true,
                "Server-Sent Events; resumes after Last-Event-ID or ?after=ID", String.class,
                List.of(new Route.QueryParam("after", "integer", "send events with a greater id first")));
        routes.document(HandlerType.GET, "/healthz", false, "Liveness (no auth)", Views.Health.class, List.of());
        routes.document(HandlerType.GET, "/readyz", false, "Readiness: the metadata store answers (no auth)",
                Views.Health.class, List.of());
        routes.document(HandlerType.GET, "/v1/openapi.json", false, "This document (no auth)", null, List.of());
        String openApi = Json.write(OpenApi.document(routes.routes(), "v1"));
        EventStream stream = new EventStream(events, api, services.tokens()::isActive);

        char[] password = randomPassword();
        var keyStore = ca.keyStore(cert, password);
        ServerConnector[] holder = new ServerConnector[1];
        HttpConfiguration[] base = new HttpConfiguration[1];
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.maxRequestSize = 1_048_576L;
            config.jetty.modifyServletContextHandler(handler -> handler.addFilter(
                    new org.eclipse.jetty.servlet.FilterHolder(new EventStreamAccept()), EventStreamAccept.PATH,
                    java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST)));
            config.jetty.addConnector((server, httpConfig) -> {
                base[0] = httpConfig;
                return holder[0] = TlsConnector.create(server, httpConfig, keyStore, password, options.listenHost(),
                        options.listenPort());
            });
            config.requestLogger.http((ctx, ms) ->
                    LOG.debug("{} {} -> {} in {} ms", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(ms)));
        });
        app.get("/healthz", ctx -> ctx.json(new Views.Health("ok")));
        app.get("/readyz", ctx -> {
            boolean ok = store.healthy();
            ctx.status(ok ? 200 : 503).json(new Views.Health(ok ? "ready" : "store-unavailable"));
        });
        app.get("/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        app.before("/v1/events/stream", stream::admit);
        app.sse("/v1/events/stream", stream::accept);
        app.after("/v1/events/stream", stream::release);
        api.mount(app, routes.routes());
        app.start();
        var socket = UnixSocketConnector.start(app.jettyServer().server(), base[0], options.home().apiSocket());
        return new HttpFront(app, holder[0], socket, stream);
    }

    public static char[] randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b).toCharArray();
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The API's Unix socket, when the server listens on one (see {@link UnixSocketConnector}). */
    public Optional<Path> socket() {
        return socket.map(UnixDomainServerConnector::getUnixDomainPath);
    }

    @Override
    public void close() {
        stream.close();
        app.stop();   // stops the socket's connector too, which removes its file
    }
}

package io.stratum.server.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stratum.core.auth.Principal;
import io.stratum.core.error.FieldError;
import io.stratum.core.error.StratumException;
import io.stratum.core.error.ValidationException;
import io.stratum.core.service.TokenService;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts declared routes on Javalin: authentication, Idempotency-Key, JSON writing and problem+json errors.
 * Handlers stay small: parse, call a service, shape the answer.
 */
public final class RestApi {
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    static final String PRINCIPAL = "stratum.principal";
    private final TokenService tokens;
    private final Idempotency idempotency;

    RestApi(TokenService tokens, Idempotency idempotency) {
        this.tokens = tokens;
        this.idempotency = idempotency;
    }

    void mount(Javalin app, List<Route> routes) {
        for (Route r : routes) {
            if (r.handler() == null) continue; // documented only; served by its own handler
            app.addHttpHandler(r.method(), r.path(), ctx -> serve(r, ctx));
        }
        app.exception(StratumException.class, (e, ctx) -> writeProblem(ctx, e));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected error on {} {}: {}", ctx.method(), ctx.path(), e.toString(), e);
            write(ctx, 500, Problem.MEDIA_TYPE, Json.write(Problem.of(500, "Internal error", "internal-error",
                    "the server failed to handle this request; see the server log", null)));
        });
        app.error(404, ctx -> {
            if (!String.valueOf(ctx.res().getContentType()).startsWith(Problem.MEDIA_TYPE)) {
                write(ctx, 404, Problem.MEDIA_TYPE, Json.write(Problem.of(404, "Not found", "no-such-route",
                        "no route " + ctx.method() + " " + ctx.path() + " (see /v1/openapi.json)", null)));
            }
        });
        app.error(405, ctx -> write(ctx, 405, Problem.MEDIA_TYPE, Json.write(Problem.of(405, "Method not allowed",
                "method-not-allowed", ctx.method() + " is not allowed on " + ctx.path(), null))));
    }

    private void serve(Route r, Context ctx) {
        if (r.authenticated()) principal(ctx);
        String body = r.requestBody() == null ? null : ctx.body();
        String key = ctx.header("Idempotency-Key");
        Idempotency.Answer answer;
        if (key != null && r.method() == HandlerType.POST) {
            answer = idempotency.handle(principal(ctx), key, r.method().name(), ctx.path(), body, () -> run(r, ctx, body));
        } else {
            answer = run(r, ctx, body);
        }
        if (answer.location() != null) ctx.header("Location", answer.location());
        if (answer.body() == null) {
            ctx.status(answer.status());
        } else {
            write(ctx, answer.status(), answer.status() >= 400 ? Problem.MEDIA_TYPE : "application/json", answer.body());
        }
    }

    private static Idempotency.Answer run(Route r, Context ctx, String body) {
        ApiResponse res = r.handler().handle(ctx, body);
        return new Idempotency.Answer(res.status(), res.location(), res.body() == null ? null : Json.write(res.body()), res.holdsSecret());
    }

    /** The caller's principal, authenticating the bearer token on first use in this request. */
    Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            String auth = ctx.header("Authorization");
            String bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
            p = tokens.authenticate(bearer);
            ctx.attribute(PRINCIPAL, p);
        }
        return p;
    }

    static void writeProblem(Context ctx, StratumException e) {
        int status = switch (e.kind()) {
            case VALIDATION -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INTEGRITY -> 500;
            case TOO_MANY -> 429;
        };
        String title = switch (e.kind()) {
            case VALIDATION -> "Invalid request";
            case UNAUTHORIZED -> "Unauthorized";
            case FORBIDDEN -> "Forbidden";
            case NOT_FOUND -> "Not found";
            case CONFLICT -> "Conflict";
            case INTEGRITY -> "Integrity check failed";
            case TOO_MANY -> "Too many requests";
        };
        List<FieldError> errors = e instanceof ValidationException v ? v.errors() : null;
        if (status == 401) ctx.header("WWW-Authenticate", "Bearer");
        write(ctx, status, Problem.MEDIA_TYPE, Json.write(Problem.of(status, title, e.code(), e.getMessage(), errors)));
    }

    private static void write(Context ctx, int status, String type, String body) {
        ctx.status(status).contentType(type).result(body);
    }
}

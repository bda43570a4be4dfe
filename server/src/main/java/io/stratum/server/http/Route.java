package io.stratum.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * One REST route as declared once: the server registers it and the OpenAPI document is generated from it. Declared
 * with {@link #of}: {@code Route.of(POST, "/v1/x", "Create an x").accepts(Body.class).respondsWith(View.class)
 * .status(201).handledBy(...)}; a route needs a token, answers 200 and takes no query parameters unless it says so.
 */
public record Route(HandlerType method, String path, boolean authenticated, String summary, Class<?> requestBody,
                    Class<?> responseBody, boolean responseIsList, int successStatus, List<QueryParam> query,
                    RouteHandler handler) {

    public record QueryParam(String name, String type, String description) {}

    @FunctionalInterface
    public interface RouteHandler {
        ApiResponse handle(Context ctx, String body);
    }

    public static Builder of(HandlerType method, String path, String summary) {
        return new Builder(method, path, summary);
    }

    /** The optional parts of a route, by name. */
    public static final class Builder {
        private final HandlerType method;
        private final String path;
        private final String summary;
        private boolean authenticated = true;
        private Class<?> requestBody;
        private Class<?> responseBody;
        private boolean responseIsList;
        private int successStatus = 200;
        private List<QueryParam> query = List.of();

        private Builder(HandlerType method, String path, String summary) {
            this.method = method;
            this.path = path;
            this.summary = summary;
        }

        /** Answers without a token (health checks). */
        public Builder unauthenticated() {
            authenticated = false;
            return this;
        }

        public Builder accepts(Class<?> body) {
            requestBody = body;
            return this;
        }

        public Builder respondsWith(Class<?> body) {
            responseBody = body;
            responseIsList = false;
            return this;
        }

        public Builder respondsWithListOf(Class<?> item) {
            responseBody = item;
            responseIsList = true;
            return this;
        }

        public Builder status(int status) {
            successStatus = status;
            return this;
        }

        public Builder query(List<QueryParam> params) {
            query = List.copyOf(params);
            return this;
        }

        public Route handledBy(RouteHandler handler) {
            return new Route(method, path, authenticated, summary, requestBody, responseBody, responseIsList, successStatus, query, handler);
        }

        /** A route served outside the JSON conventions (health, SSE): documented here, handled where it is registered. */
        public Route build() {
            return handledBy(null);
        }
    }
}

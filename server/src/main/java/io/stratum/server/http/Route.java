package io.stratum.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * One REST route as declared once: the server registers it and the OpenAPI document is generated from it.
 */
public record Route(HandlerType method, String path, boolean authenticated, String summary, Class<?> requestBody,
                    Class<?> responseBody, boolean responseIsList, int successStatus, List<QueryParam> query,
                    RouteHandler handler) {

    public record QueryParam(String name, String type, String description) {}

    @FunctionalInterface
    public interface RouteHandler {
        ApiResponse handle(Context ctx, String body);
    }
}

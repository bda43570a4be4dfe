package io.stratum.server.http;

/** What a handler answers: status, optional Location, and a JSON body (null for 204). */
public record ApiResponse(int status, String location, Object body) {
    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, null, body);
    }

    public static ApiResponse created(String location, Object body) {
        return new ApiResponse(201, location, body);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, null);
    }
}

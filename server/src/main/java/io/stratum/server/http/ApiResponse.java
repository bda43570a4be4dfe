package io.stratum.server.http;

/**
 * What a handler answers: status, optional Location, and a JSON body (null for 204); {@code holdsSecret} when the body
 * carries a secret shown once (a new token), which is then never kept anywhere, an idempotency record included.
 */
public record ApiResponse(int status, String location, Object body, boolean holdsSecret) {
    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, null, body, false);
    }

    public static ApiResponse created(String location, Object body) {
        return new ApiResponse(201, location, body, false);
    }

    /** A 201 whose body holds a secret shown this once. */
    public static ApiResponse createdWithSecret(String location, Object body) {
        return new ApiResponse(201, location, body, true);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, null, false);
    }

    /** 304: what the client holds (its If-None-Match) is still current. */
    public static ApiResponse notModified() {
        return new ApiResponse(304, null, null, false);
    }
}

package io.stratum.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stratum.core.error.FieldError;
import java.util.List;

/** An RFC 9457 problem document, with Stratum's {@code code} and per-field {@code errors}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, List<FieldError> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String code, String detail, List<FieldError> errors) {
        return new Problem("https://stratum.dev/problems/" + code, title, status, detail, code, errors);
    }
}

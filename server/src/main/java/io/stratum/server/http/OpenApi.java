package io.stratum.server.http;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Generates the OpenAPI 3.1 document from the declared routes and the records they read and write. */
final class OpenApi {
    private static final Pattern PATH_PARAM = Pattern.compile("[{<]([^}>]+)[}>]");

    private OpenApi() {}

    static Map<String, Object> document(List<Route> routes, String version) {
        Map<String, Object> schemas = new LinkedHashMap<>();
        schemas.put("Problem", schemaOf(Problem.class, schemas));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Route r : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(
                    r.path().replace('<', '{').replace('>', '}'), p -> new LinkedHashMap<>());
            item.put(r.method().name().toLowerCase(Locale.ROOT), operation(r, schemas));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "Stratum API", "version", version));
        doc.put("paths", paths);
        doc.put("components", Map.of("schemas", schemas,
                "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer"))));
        return doc;
    }

    private static Map<String, Object> operation(Route r, Map<String, Object> schemas) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("summary", r.summary());
        List<Object> params = new ArrayList<>();
        Matcher m = PATH_PARAM.matcher(r.path());
        while (m.find()) {
            params.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        for (Route.QueryParam q : r.query()) {
            params.add(Map.of("name", q.name(), "in", "query", "required", false, "description", q.description(),
                    "schema", Map.of("type", q.type())));
        }
        if (r.method().name().equals("POST") || r.method().name().equals("PATCH")) {
            params.add(Map.of("name", "Idempotency-Key", "in", "header", "required", false,
                    "description", "same key and same body return the same answer without a second change",
                    "schema", Map.of("type", "string")));
        }
        if (!params.isEmpty()) op.put("parameters", params);
        if (r.requestBody() != null) {
            op.put("requestBody", Map.of("required", true, "content",
                    Map.of("application/json", Map.of("schema", ref(r.requestBody(), schemas)))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        if (r.responseBody() == null) {
            responses.put(String.valueOf(r.successStatus()), Map.of("description", "done"));
        } else {
            Object schema = ref(r.responseBody(), schemas);
            if (r.responseIsList()) schema = Map.of("type", "array", "items", schema);
            String media = r.responseBody() == String.class ? "text/event-stream" : "application/json";
            responses.put(String.valueOf(r.successStatus()),
                    Map.of("description", "success", "content", Map.of(media, Map.of("schema", schema))));
        }
        responses.put("default", Map.of("description", "problem", "content",
                Map.of(Problem.MEDIA_TYPE, Map.of("schema", Map.of("$ref", "#/components/schemas/Problem")))));
        op.put("responses", responses);
        if (r.authenticated()) op.put("security", List.of(Map.of("bearer", List.of())));
        return op;
    }

    private static Object ref(Class<?> type, Map<String, Object> schemas) {
        if (!type.isRecord()) return scalar(type);
        if (!schemas.containsKey(type.getSimpleName())) {
            schemas.put(type.getSimpleName(), Map.of());
            schemas.put(type.getSimpleName(), schemaOf(type, schemas));
        }
        return Map.of("$ref", "#/components/schemas/" + type.getSimpleName());
    }

    private static Map<String, Object> schemaOf(Class<?> record, Map<String, Object> schemas) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (RecordComponent c : record.getRecordComponents()) {
            var renamed = c.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            String name = renamed != null && !renamed.value().isEmpty() ? renamed.value() : c.getName();
            props.put(name, typeOf(c.getGenericType(), schemas));
        }
        return Map.of("type", "object", "additionalProperties", false, "properties", props);
    }

    private static Object typeOf(Type t, Map<String, Object> schemas) {
        if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
            return Map.of("type", "array", "items", typeOf(p.getActualTypeArguments()[0], schemas));
        }
        return t instanceof Class<?> c ? ref(c, schemas) : Map.of();
    }

    private static Map<String, Object> scalar(Class<?> c) {
        if (c == String.class) return Map.of("type", "string");
        if (c == Instant.class) return Map.of("type", "string", "format", "date-time");
        if (c == int.class || c == long.class || c == Integer.class || c == Long.class) return Map.of("type", "integer");
        if (c == double.class || c == Double.class) return Map.of("type", "number");
        if (c == boolean.class || c == Boolean.class) return Map.of("type", "boolean");
        return Map.of("type", "object");
    }
}

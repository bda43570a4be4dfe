package io.stratum.store;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Small string maps and name lists in one text column, in a form both SQLite and PostgreSQL store as is. */
final class TextMaps {
    private TextMaps() {}

    static String encode(Map<String, String> map) {
        return map.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    static Map<String, String> decode(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) return map;
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            map.put(dec(pair.substring(0, eq)), dec(pair.substring(eq + 1)));
        }
        return map;
    }

    static String encodeList(List<String> names) {
        return String.join(",", names);
    }

    static List<String> decodeList(String text) {
        return text == null || text.isEmpty() ? List.of() : List.of(text.split(","));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}

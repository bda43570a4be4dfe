package io.stratum.core.secret;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes and reads flat JSON objects of strings and numbers, enough for the RDS-shaped credential secrets the core
 * creates ({@code {"engine":..,"host":..,"port":5432,..}}). General JSON is the server's business.
 */
public final class FlatJson {
    private FlatJson() {}

    public static String write(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder("{");
        for (var e : fields.entrySet()) {
            if (sb.length() > 1) sb.append(',');
            sb.append(quote(e.getKey())).append(':');
            Object v = e.getValue();
            sb.append(v instanceof Number ? v.toString() : quote(String.valueOf(v)));
        }
        return sb.append('}').toString();
    }

    /** Reads a flat object; numbers come back as their text. Throws IllegalArgumentException on anything else. */
    public static Map<String, String> read(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        int[] pos = {skip(json, 0)};
        expect(json, pos, '{');
        pos[0] = skip(json, pos[0]);
        if (json.charAt(pos[0]) == '}') return out;
        while (true) {
            pos[0] = skip(json, pos[0]);
            String key = string(json, pos);
            pos[0] = skip(json, pos[0]);
            expect(json, pos, ':');
            pos[0] = skip(json, pos[0]);
            String value;
            if (json.charAt(pos[0]) == '"') {
                value = string(json, pos);
            } else {
                int start = pos[0];
                while (pos[0] < json.length() && "-+.eE0123456789".indexOf(json.charAt(pos[0])) >= 0) pos[0]++;
                value = json.substring(start, pos[0]);
                if (value.isEmpty()) throw new IllegalArgumentException("not a flat JSON object at " + start);
            }
            out.put(key, value);
            pos[0] = skip(json, pos[0]);
            char c = json.charAt(pos[0]++);
            if (c == '}') return out;
            if (c != ',') throw new IllegalArgumentException("expected , or } at " + (pos[0] - 1));
        }
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    private static String string(String json, int[] pos) {
        expect(json, pos, '"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = json.charAt(pos[0]++);
            if (c == '"') return sb.toString();
            if (c == '\\') {
                char e = json.charAt(pos[0]++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(json.substring(pos[0], pos[0] + 4), 16));
                        pos[0] += 4;
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
    }

    private static void expect(String json, int[] pos, char c) {
        if (pos[0] >= json.length() || json.charAt(pos[0]) != c) throw new IllegalArgumentException("expected '" + c + "' at " + pos[0]);
        pos[0]++;
    }

    private static int skip(String json, int i) {
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) i++;
        return i;
    }
}

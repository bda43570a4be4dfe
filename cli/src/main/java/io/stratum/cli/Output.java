package io.stratum.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints answers as a human table (default) or as the API's JSON ({@code -o json}). */
public final class Output {
    public enum Format { table, json }

    private final Format format;
    private final PrintWriter out;

    public Output(Format format, PrintWriter out) {
        this.format = format;
        this.out = out;
    }

    public boolean json() {
        return format == Format.json;
    }

    /** One object: JSON as is, or a two-column key/value table. */
    public void object(JsonNode node) {
        if (json()) {
            printJson(node);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        node.fields().forEachRemaining(f -> {
            JsonNode v = f.getValue();
            if (v.isArray() && v.size() > 1) {
                // one line per element (networks, security groups), the field's name on the first
                for (int i = 0; i < v.size(); i++) rows.add(new String[] {i == 0 ? f.getKey() : "", text(v.get(i))});
            } else {
                rows.add(new String[] {f.getKey(), text(v)});
            }
        });
        table(List.of("FIELD", "VALUE"), rows);
    }

    /** A list: JSON array as is, or a table of the chosen fields. */
    public void list(JsonNode array, List<String> fields) {
        if (json()) {
            printJson(array);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        for (JsonNode n : array) {
            rows.add(fields.stream().map(f -> text(n.path(f))).toArray(String[]::new));
        }
        table(fields.stream().map(Output::header).toList(), rows);
    }

    public void line(String text) {
        out.println(text);
        out.flush();
    }

    public void printJson(JsonNode node) {
        try {
            out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** A table of ready-made rows. */
    public void rows(List<String> headers, List<String[]> rows) {
        table(headers, rows);
    }

    private void table(List<String> headers, List<String[]> rows) {
        int[] widths = headers.stream().mapToInt(String::length).toArray();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) widths[i] = Math.max(widths[i], r[i].length());
        }
        printRow(headers.toArray(String[]::new), widths);
        for (String[] r : rows) printRow(r, widths);
        out.flush();
    }

    private void printRow(String[] cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) sb.append("  ");
            sb.append(i == cells.length - 1 ? cells[i] : String.format("%-" + widths[i] + "s", cells[i]));
        }
        out.println(sb.toString().stripTrailing());
    }

    static String text(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return "-";
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(e -> parts.add(text(e)));
            return parts.isEmpty() ? "-" : String.join(",", parts);
        }
        if (n.isObject()) {
            List<String> parts = new ArrayList<>();
            n.fields().forEachRemaining(f -> {
                if (!f.getValue().isNull()) parts.add(f.getKey() + "=" + text(f.getValue()));
            });
            return parts.isEmpty() ? "-" : String.join(" ", parts);
        }
        return n.asText();
    }

    /** A byte count for people: {@code 253 B}, {@code 1.4 MiB}, {@code 5.0 GiB}. */
    static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String header(String field) {
        return field.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
    }
}

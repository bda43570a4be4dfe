package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/**
 * Waits for an operation: a progress bar on a terminal, plain lines (one per step) otherwise. Returns the finished
 * operation; a failed one becomes a CLI failure (exit 1) carrying the operation's error.
 */
final class OperationWaiter {
    private final ApiClient api;
    private final PrintWriter err;
    private final boolean terminal;

    OperationWaiter(ApiClient api, PrintWriter err, boolean terminal) {
        this.api = api;
        this.err = err;
        this.terminal = terminal;
    }

    JsonNode await(JsonNode op) {
        String id = op.path("id").asText();
        String label = op.path("type").asText() + " " + op.path("resource").asText();
        String lastStep = "";
        String lastDetail = "";
        long lastDetailAt = 0;
        JsonNode current = op;
        while (true) {
            String state = current.path("state").asText();
            String step = current.path("step").asText("");
            String detail = current.path("detail").asText("");
            double progress = current.path("progress").asDouble();
            if (terminal) {
                int filled = (int) Math.round(progress * 30);
                err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(30 - filled) + "] "
                        + String.format("%3d%%", Math.round(progress * 100)) + " " + step + (detail.isEmpty() ? "" : ": " + detail)
                        + "          ");
                err.flush();
            } else if (!step.equals(lastStep) && !step.isEmpty()) {
                err.println(label + ": " + step + " (" + Math.round(progress * 100) + "%)");
                err.flush();
            } else if (!detail.isEmpty() && !detail.equals(lastDetail) && System.nanoTime() - lastDetailAt > 5_000_000_000L) {
                // not a terminal (a log, CI): a progress line every few seconds at most
                err.println(label + ": " + step + ": " + detail);
                err.flush();
                lastDetail = detail;
                lastDetailAt = System.nanoTime();
            }
            lastStep = step;
            if (state.equals("succeeded") || state.equals("failed")) break;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(CliException.FAILED, "interrupted; the operation " + id + " continues on the server");
            }
            current = api.get("/v1/operations/" + id);
        }
        if (terminal) err.println();
        if (current.path("state").asText().equals("failed")) {
            throw new CliException(CliException.FAILED, label + " failed: " + current.path("error").asText()
                    + " (see 'stratum op show " + id + "')");
        }
        return current;
    }
}

package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/**
 * Waits for an operation: a progress bar on a terminal, plain lines (one per step) otherwise. Returns the finished
 * operation; a failed one becomes a CLI failure (exit 1) carrying the operation's error. It does not poll: each request
 * is held by the server until the operation changes (see {@link ApiClient#awaitChange}), so the end is seen the moment
 * it is recorded.
 */
final class OperationWaiter {
    /** How long the server holds one request (below the server's 30 s idle timeout for a silent connection). */
    static final int WAIT_SECONDS = 20;

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
        String etag = null;
        long backoffMs = 100;
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
            ApiClient.Tagged next;
            try {
                long asked = System.nanoTime();
                next = api.awaitChange("/v1/operations/" + id, etag, WAIT_SECONDS);
                boolean held = next.body() != null || System.nanoTime() - asked > WAIT_SECONDS * 500_000_000L;
                if (next.etag() == null || !held) {
                    // not held: a server without ETags, or one holding as many requests as it will (it answered at once)
                    Thread.sleep(backoffMs);
                    backoffMs = Math.min(1000, backoffMs * 2);
                } else {
                    backoffMs = 100;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(CliException.FAILED, "interrupted; the operation " + id + " continues on the server");
            } catch (CliException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CliException(CliException.FAILED, "interrupted; the operation " + id + " continues on the server");
                }
                throw e;
            }
            etag = next.etag();
            if (next.body() != null) current = next.body();
        }
        if (terminal) err.println();
        if (current.path("state").asText().equals("failed")) {
            throw new CliException(CliException.FAILED, label + " failed: " + current.path("error").asText()
                    + " (see 'stratum op show " + id + "')");
        }
        return current;
    }
}

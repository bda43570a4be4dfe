package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "events", description = "Show the event log; --follow streams new events as they happen.",
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  stratum events", "  stratum events --follow -o json"})
final class EventsCommand extends CliCommand {
    private static final List<String> FIELDS = List.of("id", "time", "actor", "resource", "action", "detail");

    @Option(names = "--follow", description = "keep running and print new events (Ctrl-C to stop)")
    boolean follow;

    @Option(names = "--limit", description = "how many recent events to show first (1-1000, default 20)")
    int limit = 20;

    @Override
    void run() {
        JsonNode recent = api().get("/v1/events?limit=" + limit);
        if (!follow) {
            out().list(recent, FIELDS);
            return;
        }
        long last = 0;
        for (JsonNode e : recent) {
            print(e);
            last = e.path("id").asLong();
        }
        api().stream("/v1/events/stream?after=" + last, data -> {
            try {
                print(ApiClient.JSON.readTree(data));
            } catch (IOException e) {
                out().line(data);
            }
        });
    }

    private void print(JsonNode e) {
        if (out().json()) {
            out().line(e.toString());
        } else {
            out().line(String.join("  ", FIELDS.stream().map(f -> Output.text(e.path(f))).toList()));
        }
    }
}

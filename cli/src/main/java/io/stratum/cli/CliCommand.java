package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of the leaf commands: access to the API client and the output format chosen on the root. */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    StratumCli root() {
        return (StratumCli) spec.root().userObject();
    }

    ApiClient api() {
        return root().client();
    }

    Output out() {
        return new Output(root().format, spec.commandLine().getOut());
    }

    static String seg(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The first line of standard input: a secret given with {@code flag}, never on the command line. */
    static String stdinLine(String field, String flag) {
        try {
            String line = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
            if (line.isEmpty()) throw new CliException(CliException.USAGE, field + ": give it on standard input (" + flag + ")");
            return line;
        } catch (java.io.IOException e) {
            throw new CliException(CliException.USAGE, field + ": cannot read standard input: " + e.getMessage());
        }
    }

    @Override
    public Integer call() {
        run();
        return 0;
    }

    abstract void run();

    /** A deletion's result: {@code {"kind": ..., "name": ..., "status": "deleted"}} with -o json, else {@code human}. */
    void deleted(String kind, String name, String human) {
        done(ApiClient.JSON.createObjectNode().put("kind", kind).put("name", name).put("status", "deleted"), human);
    }

    /** Prints {@code node} as JSON, or {@code human} for tables. */
    void done(JsonNode node, String human) {
        if (out().json()) out().printJson(node);
        else out().line(human);
    }
}

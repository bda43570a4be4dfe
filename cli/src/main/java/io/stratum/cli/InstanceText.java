package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** An instance as people read it in {@code db show}: endpoint as host:port, storage in words, one line per admitted network. */
final class InstanceText {
    private InstanceText() {}

    static JsonNode readable(JsonNode instance) {
        ObjectNode o = instance.deepCopy();
        JsonNode endpoint = instance.path("endpoint");
        if (endpoint.isObject()) o.put("endpoint", endpoint.path("host").asText() + ":" + endpoint.path("port").asText());
        JsonNode via = instance.path("via");
        if (via.isObject()) o.put("via", via.path("host").asText() + ":" + via.path("port").asText());
        JsonNode storage = instance.path("storage");
        if (storage.isObject() && storage.path("allocatedGiB").asInt() > 0) {
            o.put("storage", Output.bytes(storage.path("usedBytes").asLong()) + " used of " + storage.path("allocatedGiB").asInt()
                    + " GiB (max " + storage.path("maxGiB").asInt() + " GiB)");
        } else if (storage.isObject()) {
            o.put("storage", "-");
        }
        JsonNode ingress = instance.path("ingress");
        if (ingress.isArray()) {
            ArrayNode lines = o.putArray("ingress");
            ingress.forEach(r -> lines.add(r.path("cidr").asText() + "  " + r.path("reason").asText()));
        }
        JsonNode latest = instance.path("latestBackup");
        if (latest.isObject()) {
            o.put("latestBackup", latest.path("id").asText() + " " + latest.path("status").asText() + " at " + latest.path("at").asText()
                    + (latest.path("error").isTextual() ? ": " + latest.path("error").asText() : ""));
        }
        JsonNode drill = instance.path("lastDrill");
        if (drill.isObject()) {
            o.put("lastDrill", drill.path("status").asText() + " at " + drill.path("at").asText() + " (" + drill.path("backup").asText()
                    + ", " + drill.path("millis").asLong() + " ms)");
        }
        JsonNode replication = instance.path("replication");
        if (replication.isObject()) {
            o.put("replication", (replication.path("streaming").asBoolean() ? "streaming" : "not streaming") + ", "
                    + Output.bytes(Math.max(0, replication.path("lagBytes").asLong())) + " and " + replication.path("lagSeconds").asDouble()
                    + " s behind" + (replication.path("reason").isTextual() ? ": " + replication.path("reason").asText() : "")
                    + " (at " + replication.path("observedAt").asText() + ")");
        }
        return o;
    }
}

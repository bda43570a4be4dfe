package io.stratum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code db show} in table form: nested values as people read them, never raw JSON. */
class HumanOutputTest {
    static String show(String json) throws Exception {
        JsonNode instance = ApiClient.JSON.readTree(json);
        StringWriter out = new StringWriter();
        new Output(Output.Format.table, new PrintWriter(out)).object(InstanceText.readable(instance));
        return out.toString();
    }

    @Test
    void endpointStorageAndIngressAreReadable() throws Exception {
        String table = show("""
                {"name":"orders","endpoint":{"host":"127.0.0.1","port":15000},
                 "storage":{"allocatedGiB":5,"maxGiB":20,"usedBytes":56623104},
                 "securityGroups":["web","ops"],
                 "ingress":[{"cidr":"127.0.0.0/8","reason":"this host"},{"cidr":"10.0.0.0/24","reason":"security group web"}],
                 "parameters":{"work_mem":"16MB"},
                 "latestBackup":{"id":"bk-orders-1","kind":"manual","status":"available","at":"2026-12-01T00:00:00Z","error":null}}
                """);
        assertThat(table).doesNotContain("{").doesNotContain("}").doesNotContain("\"");
        assertThat(table).containsPattern("(?m)^endpoint\\s+127\\.0\\.0\\.1:15000$");
        assertThat(table).containsPattern("(?m)^storage\\s+54\\.0 MiB used of 5 GiB \\(max 20 GiB\\)$");
        assertThat(table).containsPattern("(?m)^ingress\\s+127\\.0\\.0\\.0/8  this host$");
        assertThat(table).containsPattern("(?m)^\\s+10\\.0\\.0\\.0/24  security group web$");
        assertThat(table).containsPattern("(?m)^securityGroups\\s+web$").containsPattern("(?m)^\\s+ops$");
        assertThat(table).containsPattern("(?m)^parameters\\s+work_mem=16MB$");
        assertThat(table).containsPattern("(?m)^latestBackup\\s+bk-orders-1 available at 2026-12-01T00:00:00Z$");
    }

    @Test
    void byteCountsReadLikeSizes() {
        assertThat(Output.bytes(253)).isEqualTo("253 B");
        assertThat(Output.bytes(2 * 1024 * 1024 + 1)).isEqualTo("2.0 MiB");
        assertThat(Output.bytes(5L << 30)).isEqualTo("5.0 GiB");
    }
}

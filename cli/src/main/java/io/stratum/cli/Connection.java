package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.core.home.StratumHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the server is and how to talk to it: STRATUM_URL / STRATUM_TOKEN / STRATUM_CA, else the files the server
 * wrote into its home (server.json, admin.token, ca/ca.pem) found through --home or STRATUM_HOME. {@code socket} is the
 * server's local Unix socket when the URL came from that home and this user may connect to it (the server's user: the
 * socket's directory is private to it), else null; requests then skip TLS. STRATUM_URL always means HTTPS.
 */
public record Connection(String url, String token, Path caFile, Path socket) {

    public static Connection resolve(String homeOption, Map<String, String> env) {
        StratumHome home = StratumHome.resolve(homeOption, env);
        String url = env.get("STRATUM_URL");
        Path socket = null;
        if (url == null || url.isBlank()) {
            JsonNode json = serverJson(home);
            url = json.path("url").asText();
            socket = usableSocket(json.path("socket").asText(null));
        }
        String token = env.get("STRATUM_TOKEN");
        if (token == null || token.isBlank()) {
            token = readTrimmed(home.adminToken());
        }
        if (token == null) {
            throw new CliException(CliException.USAGE, "no API token: set STRATUM_TOKEN, or point --home/STRATUM_HOME at a "
                    + "Stratum home with admin.token (looked in " + home.root() + ")");
        }
        String ca = env.get("STRATUM_CA");
        Path caFile = ca != null && !ca.isBlank() ? Path.of(ca) : home.caCertificate();
        if (!Files.isReadable(caFile)) {
            throw new CliException(CliException.USAGE, "cannot read the server's CA certificate " + caFile
                    + ": set STRATUM_CA to the PEM file ('stratum ca show' on the server host prints it)");
        }
        return new Connection(url.endsWith("/") ? url.substring(0, url.length() - 1) : url, token, caFile, socket);
    }

    /** The socket server.json names, when it is one this user can connect to (write permission); else null. */
    private static Path usableSocket(String path) {
        if (path == null || path.isBlank()) return null;
        Path p = Path.of(path);
        return p.isAbsolute() && Files.isWritable(p) && !Files.isDirectory(p) && !Files.isRegularFile(p) ? p : null;
    }

    private static JsonNode serverJson(StratumHome home) {
        Path file = home.serverJson();
        if (!Files.isReadable(file)) {
            throw new CliException(CliException.FAILED, "no Stratum server found: " + file + " does not exist. Start one with "
                    + "'bin/stratum up', or set STRATUM_URL, STRATUM_TOKEN and STRATUM_CA (or --home DIR / STRATUM_HOME)");
        }
        try {
            return ApiClient.JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String readTrimmed(Path file) {
        try {
            return Files.isReadable(file) ? Files.readString(file, StandardCharsets.US_ASCII).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "Connection[url=" + url + ", ca=" + caFile + (socket == null ? "" : ", socket=" + socket) + ", token=redacted]";
    }
}

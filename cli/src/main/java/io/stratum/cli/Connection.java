package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.core.home.StratumHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the server is and how to talk to it: STRATUM_URL / STRATUM_TOKEN / STRATUM_CA, else the files the server
 * wrote into its home (server.json, admin.token, ca/ca.pem) found through --home or STRATUM_HOME. {@code socket} is the
 * server's local Unix socket ({@link StratumHome#apiSocket()}) when everything came from that home (none of STRATUM_URL,
 * STRATUM_TOKEN, STRATUM_CA is set: a user who names a server, a token or a CA gets HTTPS to it, verified against that
 * CA), the socket is a socket owned by the user who wrote server.json, and this user may connect to it; else null.
 * {@code socketOwner} is that user: the transport checks that the process answering on the socket runs as it, so a
 * token never goes to a listener someone else put there.
 */
public record Connection(String url, String token, Path caFile, Path socket, String socketOwner) {

    public static Connection resolve(String homeOption, Map<String, String> env) {
        StratumHome home = StratumHome.resolve(homeOption, env);
        String url = env.get("STRATUM_URL");
        boolean allFromHome = blank(url) && blank(env.get("STRATUM_TOKEN")) && blank(env.get("STRATUM_CA"));
        Path socket = null;
        String socketOwner = null;
        if (blank(url)) {
            JsonNode json = serverJson(home);
            url = json.path("url").asText();
            socketOwner = allFromHome ? socketOwner(home, json.path("socket").asText(null)) : null;
            socket = socketOwner == null ? null : home.apiSocket();
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
        return new Connection(url.endsWith("/") ? url.substring(0, url.length() - 1) : url, token, caFile, socket, socketOwner);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * The user the home's API socket belongs to, when server.json names that socket ({@code named}), it is a socket (not
     * a link, FIFO or file), it and its directory belong to the user who wrote server.json, and this user may connect
     * to it; else null (the CLI uses HTTPS).
     */
    static String socketOwner(StratumHome home, String named) {
        if (named == null || !Path.of(named).equals(home.apiSocket())) return null;
        try {
            String owner = Files.getOwner(home.serverJson(), LinkOption.NOFOLLOW_LINKS).getName();
            int mode = (Integer) Files.getAttribute(home.apiSocket(), "unix:mode", LinkOption.NOFOLLOW_LINKS);
            boolean socket = (mode & 0170000) == 0140000;
            boolean owned = owner.equals(Files.getOwner(home.apiSocket(), LinkOption.NOFOLLOW_LINKS).getName())
                    && owner.equals(Files.getOwner(home.runDir(), LinkOption.NOFOLLOW_LINKS).getName())
                    && !Files.isSymbolicLink(home.runDir());
            return socket && owned && Files.isWritable(home.apiSocket()) ? owner : null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
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
        return "Connection[url=" + url + ", ca=" + caFile + (socket == null ? "" : ", socket=" + socket + " of " + socketOwner)
                + ", token=redacted]";
    }
}

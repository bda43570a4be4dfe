package io.stratum.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine's own command-line client, as a template: {@code {host}}, {@code {port}}, {@code {user}},
 * {@code {database}} (and {@code {ca}}, the CA file, in the TLS additions) are replaced; the password goes in
 * {@code passwordEnv}, never on a command line. {@code tlsArgv} and {@code tlsEnv} are added for an instance that
 * requires TLS: the client then encrypts and verifies the server's certificate and name against the CA.
 */
public record ClientCommand(List<String> argv, Map<String, String> env, String passwordEnv, List<String> tlsArgv,
                            Map<String, String> tlsEnv) {
    public ClientCommand {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        tlsArgv = List.copyOf(tlsArgv);
        tlsEnv = Map.copyOf(tlsEnv);
    }

    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("\\{(host|port|user|database|ca)\\}");

    /** A target; {@code ca} is the CA file when the instance requires TLS, else null. */
    public record Target(String host, int port, String user, String database, String ca) {
        /** One pass: a value that itself contains {@code {ca}} or {@code {user}} stays as it is. */
        String fill(String template) {
            return PLACEHOLDER.matcher(template).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(switch (m.group(1)) {
                case "host" -> host;
                case "port" -> String.valueOf(port);
                case "user" -> user;
                case "database" -> database;
                default -> ca == null ? "" : ca;
            }));
        }
    }

    /** The arguments for one target. */
    public List<String> argv(Target t) {
        List<String> out = new ArrayList<>(argv.stream().map(t::fill).toList());
        if (t.ca() != null) out.addAll(tlsArgv.stream().map(t::fill).toList());
        return out;
    }

    /** The environment for one target, with the password when given. */
    public Map<String, String> env(Target t, String password) {
        Map<String, String> out = new TreeMap<>();
        env.forEach((k, v) -> out.put(k, t.fill(v)));
        if (t.ca() != null) tlsEnv.forEach((k, v) -> out.put(k, t.fill(v)));
        if (password != null) out.put(passwordEnv, password);
        return out;
    }
}

package io.stratum.core.engine;

import java.util.List;
import java.util.Map;

/**
 * The engine's own command-line client, as a template: {@code {host}}, {@code {port}}, {@code {user}} and
 * {@code {database}} in the arguments and environment are replaced; the password goes in {@code passwordEnv}, never
 * on a command line.
 */
public record ClientCommand(List<String> argv, Map<String, String> env, String passwordEnv) {
    public ClientCommand {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }

    /** The arguments for one target. */
    public List<String> argv(String host, int port, String user, String database) {
        return argv.stream().map(a -> fill(a, host, port, user, database)).toList();
    }

    /** The environment for one target, with the password when given. */
    public Map<String, String> env(String host, int port, String user, String database, String password) {
        Map<String, String> out = new java.util.TreeMap<>();
        env.forEach((k, v) -> out.put(k, fill(v, host, port, user, database)));
        if (password != null) out.put(passwordEnv, password);
        return out;
    }

    static String fill(String template, String host, int port, String user, String database) {
        return template.replace("{host}", host).replace("{port}", String.valueOf(port)).replace("{user}", user)
                .replace("{database}", database);
    }
}

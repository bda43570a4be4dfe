package io.stratum.cli;

import io.stratum.core.error.StratumException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root of the {@code stratum} command line. Every command speaks only to the REST API. */
@Command(name = "stratum", mixinStandardHelpOptions = true, version = "stratum 0.1.0",
        description = "Self-hosted databases per stack and stage: PostgreSQL, MariaDB and Redis.",
        footer = {"", "Example:", "  stratum stack create shop && stratum stage create shop/prod && stratum stage list -o json",
                "", "Exit codes: 0 done, 1 failed, 2 usage or validation error, 3 not found, 4 conflict or confirmation required."})
public class StratumCli implements Runnable {
    /** The top-level commands, in the order help lists them. */
    static final java.util.List<Class<?>> COMMANDS = java.util.List.of(StackCommands.class, StageCommands.class, DbCommands.class,
            EngineCommands.class, SecretCommands.class, MasterKeyCommands.class, EnvCommand.class, RunCommand.class, CaCommands.class,
            SecurityGroupCommands.class, BastionCommands.class, ExternalCommands.class, TunnelCommand.class, BackupCommands.class,
            StoreCommands.class, TokenCommands.class, OperationCommands.class, EventsCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class);

    @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Stratum home holding server.json, admin.token and the CA (default: $STRATUM_HOME, ~/.stratum, /var/lib/stratum for root)")
    String home;

    public String home() {
        return home;
    }

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "table (default) or json")
    Output.Format format = Output.Format.table;

    private final Map<String, String> env;
    private ApiClient client;

    public StratumCli(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required (see 'stratum --help')");
    }

    private Connection connection;

    /** Where the server is, its token and the CA the CLI trusts (which also signs the instances' certificates). */
    Connection connection() {
        if (connection == null) {
            connection = Connection.resolve(home, env);
            CliTiming.mark("connection resolved");
        }
        return connection;
    }

    ApiClient client() {
        if (client == null) client = new ApiClient(connection());
        return client;
    }

    /** Builds the command line with Stratum's exit codes; {@code extra} adds commands such as {@code server}. */
    public static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err, Object... extra) {
        return commandLine(COMMANDS, env, out, err, extra);
    }

    /**
     * The command line for running {@code args}: only the called command's tree is built when it is one of Stratum's
     * (building every command's model costs a short CLI call more than a tenth of a second), and of a command group
     * only the subcommand called when the next word names one (a group's whole model costs {@code db} calls tens of
     * milliseconds more); all of them otherwise (help, completion, a typo that needs suggestions).
     */
    public static CommandLine commandLineFor(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err, Object... extra) {
        // a help or version flag before the subcommand shows the group's whole help: picocli answers the first that asks
        if (asksForHelp(args)) return commandLine(COMMANDS, null, env, out, err, extra);
        java.util.List<String> words = words(args);
        Class<?> only = ownCommand(words.isEmpty() ? null : words.get(0));
        String subcommand = words.size() > 1 ? words.get(1) : null;
        return commandLine(only == null ? COMMANDS : java.util.List.of(only), subcommand, env, out, err, extra);
    }

    private static boolean asksForHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--")) return false;
            if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) return true;
        }
        return false;
    }

    /** The words of a command line that are not options or the values of root options (the command, its subcommand, ...). */
    public static java.util.List<String> words(String[] args) {
        java.util.List<String> words = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--home") || a.equals("-o") || a.equals("--output")) i++;
            else if (a.equals("--")) break;
            else if (!a.startsWith("-")) words.add(a);
        }
        return words;
    }

    /** Whether {@code command} names one of Stratum's own commands that runs on its own (not help or completion). */
    public static boolean isOwnCommand(String command) {
        return ownCommand(command) != null;
    }

    private static Class<?> ownCommand(String command) {
        Class<?> c = named(COMMANDS, command);
        return c == CommandLine.HelpCommand.class || c == CompletionCommand.class ? null : c;
    }

    /** The class among {@code classes} whose command is called {@code word} (by name or alias), or null. */
    private static Class<?> named(java.util.List<Class<?>> classes, String word) {
        for (Class<?> c : classes) {
            Command spec = c.getAnnotation(Command.class);
            if (spec.name().equals(word) || java.util.Arrays.asList(spec.aliases()).contains(word)) return c;
        }
        return null;
    }

    /**
     * A command group with the subcommand {@code subcommand} names, or with all of them when it names none. A group lists
     * its subcommands in a static {@code SUBCOMMANDS} field, not in its annotation (picocli would build them all).
     */
    private static CommandLine group(Class<?> group, String subcommand) {
        CommandLine cl = new CommandLine(group);
        java.util.List<Class<?>> subcommands = subcommandsOf(group);
        Class<?> only = named(subcommands, subcommand);
        for (Class<?> c : only == null ? subcommands : java.util.List.of(only)) cl.addSubcommand(c);
        return cl;
    }

    @SuppressWarnings("unchecked")
    static java.util.List<Class<?>> subcommandsOf(Class<?> group) {
        try {
            return (java.util.List<Class<?>>) group.getDeclaredField("SUBCOMMANDS").get(null);
        } catch (NoSuchFieldException e) {
            return java.util.List.of();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(group + ".SUBCOMMANDS is not readable", e);
        }
    }

    private static CommandLine commandLine(java.util.List<Class<?>> commands, Map<String, String> env, PrintWriter out, PrintWriter err,
                                           Object... extra) {
        return commandLine(commands, null, env, out, err, extra);
    }

    private static CommandLine commandLine(java.util.List<Class<?>> commands, String subcommand, Map<String, String> env, PrintWriter out,
                                           PrintWriter err, Object... extra) {
        StratumCli root = new StratumCli(env);
        CommandLine cl = new CommandLine(root);
        for (Class<?> c : commands) cl.addSubcommand(commands.size() == 1 ? group(c, subcommand) : group(c, null));
        // the API client lives as long as one command: its connections and threads end with it
        cl.setExecutionStrategy(parseResult -> {
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } finally {
                if (root.client != null) root.client.close();
                root.client = null;
            }
        });
        for (Object e : extra) cl.addSubcommand(e);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof CliException c) {
                cmd.getErr().println("error: " + c.getMessage());
                return c.exitCode();
            }
            if (ex instanceof StratumException s) {
                cmd.getErr().println("error: " + s.getMessage());
                return s.kind() == StratumException.Kind.NOT_FOUND ? CliException.NOT_FOUND
                        : s.kind() == StratumException.Kind.CONFLICT ? CliException.CONFLICT : CliException.USAGE;
            }
            cmd.getErr().println("error: " + ex);
            return CliException.FAILED;
        });
        return cl;
    }
}

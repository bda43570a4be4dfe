package io.stratum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's {@code --help} prints help and exits 0, whatever options it requires, with nothing on stderr. */
class HelpWalkTest {
    static List<List<String>> paths(CommandLine cl, List<String> prefix) {
        List<List<String>> all = new ArrayList<>();
        all.add(prefix);
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(sub.getCommandName()) || name.equals("help")) return; // aliases once; 'help' is picocli's
            List<String> p = new ArrayList<>(prefix);
            p.add(name);
            all.addAll(paths(sub, p));
        });
        return all;
    }

    @Test
    void everyCommandShowsItsHelpCleanly() {
        List<List<String>> commands = paths(StratumCli.commandLine(Map.of(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())), List.of());
        assertThat(commands).hasSizeGreaterThan(50);
        PrintStream realErr = System.err;
        List<String> broken = new ArrayList<>();
        for (List<String> command : commands) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
            System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
            int code;
            try {
                List<String> argv = new ArrayList<>(command);
                argv.add("--help");
                code = StratumCli.commandLine(Map.of(), new PrintWriter(out), new PrintWriter(err)).execute(argv.toArray(String[]::new));
            } finally {
                System.setErr(realErr);
            }
            String name = "stratum " + String.join(" ", command) + " --help";
            String stderr = err + picocliWarnings.toString(StandardCharsets.UTF_8);
            if (code != 0 || !stderr.isEmpty() || !out.toString().contains("Usage: stratum")) broken.add(name + " (exit " + code + "): " + stderr);
            // the command line a call builds (only the called command and subcommand) prints the same help
            List<String> argv = new ArrayList<>(command);
            argv.add("--help");
            StringWriter pruned = new StringWriter();
            int prunedCode = StratumCli.commandLineFor(argv.toArray(String[]::new), Map.of(), new PrintWriter(pruned),
                    new PrintWriter(new StringWriter())).execute(argv.toArray(String[]::new));
            if (prunedCode != code || !pruned.toString().equals(out.toString())) broken.add(name + " differs when built for the call");
        }
        assertThat(broken).isEmpty();
    }

    /** A call builds only its command and subcommand; a group named alone, or with a word it lacks, gets all of them. */
    @Test
    void aCallBuildsOnlyTheCommandAndSubcommandItNames() {
        assertThat(built("db", "connect", "orders", "--", "-c", "select 1")).containsExactly("db connect");
        assertThat(built("-o", "json", "--home", "/srv/x", "backup", "restore", "bk-1", "--to", "copy")).containsExactly("backup restore");
        assertThat(built("db", "user", "create", "reporting")).contains("db user", "db user create", "db user list");
        assertThat(built("db", "--help")).contains("db create", "db connect", "db delete").hasSizeGreaterThan(10);
        assertThat(built("db", "conect", "orders")).as("a typo gets every subcommand to suggest from").contains("db connect");
        assertThat(built("--help")).contains("stack create", "db connect", "backup verify");
        assertThat(built("db", "-h", "connect")).as("help asked before the subcommand: the group's whole help")
                .contains("db create", "db connect", "db delete");
        assertThat(built("-o", "json", "--help", "db")).contains("stack create", "db connect");
    }

    /** Every command class nested in a command group is reachable in the whole tree (none left out of its group's list). */
    @Test
    void everyNestedCommandIsInTheTree() {
        java.util.Set<Class<?>> inTree = new java.util.HashSet<>();
        collect(StratumCli.commandLine(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), inTree);
        List<Class<?>> missing = new ArrayList<>();
        for (Class<?> top : StratumCli.COMMANDS) missing.addAll(unreached(top, inTree));
        assertThat(missing).isEmpty();
    }

    private static void collect(CommandLine cl, java.util.Set<Class<?>> into) {
        into.add(cl.getCommandSpec().userObject().getClass());
        cl.getSubcommands().values().forEach(sub -> collect(sub, into));
    }

    private static List<Class<?>> unreached(Class<?> c, java.util.Set<Class<?>> inTree) {
        List<Class<?>> missing = new ArrayList<>();
        boolean command = c.isAnnotationPresent(CommandLine.Command.class) && !java.lang.reflect.Modifier.isAbstract(c.getModifiers());
        if (command && !inTree.contains(c)) missing.add(c);
        for (Class<?> nested : c.getDeclaredClasses()) missing.addAll(unreached(nested, inTree));
        for (Class<?> sub : StratumCli.subcommandsOf(c)) if (sub.getEnclosingClass() == null) missing.addAll(unreached(sub, inTree));
        return missing;
    }

    private static List<String> built(String... args) {
        CommandLine cl = StratumCli.commandLineFor(args, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        return paths(cl, List.of()).stream().filter(p -> p.size() > 1).map(p -> String.join(" ", p)).toList();
    }
}

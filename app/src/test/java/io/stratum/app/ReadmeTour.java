package io.stratum.app;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's shell blocks as a list of commands to run in order. Rules, so that the README stays plain:
 * <ul>
 * <li>a ```sh block runs unless the line before it is {@code <!-- readme-tour: skip: REASON -->} (a reason is required);
 * <li>a trailing {@code \} continues a command on the next line; lines that are only a comment are notes, not commands;
 * <li>{@code [--flag ...]} marks an optional flag: the tour runs without it;
 * <li>a command whose comment starts with {@code refused} must fail as a conflict (exit code 4);
 * <li>a command whose comment says {@code until Ctrl-C} must print something and still be running, and is then stopped;
 * <li>a code fence is ```sh (a shell block) or plain ``` (output, text): any other fence fails the parse, so that a block
 * written as ```bash is not silently left out;
 * <li>ids ending in {@code 1a2b3c4d5e6f} or {@code 0a1b2c3d4e5f} are placeholders for the last id of that shape printed
 * by an earlier command.
 * </ul>
 */
record ReadmeTour(List<Command> commands, List<String> skipped) {
    static final Pattern SKIP = Pattern.compile("^<!-- readme-tour: skip: (.+) -->$");
    static final Pattern PLACEHOLDER = Pattern.compile("(?<![A-Za-z0-9-])([a-z][a-z-]*)(1a2b3c4d5e6f|0a1b2c3d4e5f)(?![0-9a-f])");
    static final Pattern OPTIONAL = Pattern.compile(" \\[--[^\\]]*\\]");

    enum Expect { SUCCESS, REFUSED, RUNS_UNTIL_STOPPED }

    /** One command: its text as written (continuations joined), the README line it starts on, what it must do. */
    record Command(int line, String text, Expect expect) {
        /** The prefixes of the placeholder ids it uses ({@code op-}, {@code bk-orders-}, ...). */
        Set<String> placeholderPrefixes() {
            Set<String> prefixes = new LinkedHashSet<>();
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) prefixes.add(m.group(1));
            return prefixes;
        }

        /** The text with placeholders replaced by the last id of their shape; fails naming one that was never printed. */
        String withIds(Map<String, String> lastIdByPrefix) {
            Matcher m = PLACEHOLDER.matcher(text);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String id = lastIdByPrefix.get(m.group(1));
                if (id == null) {
                    throw new AssertionError("README line " + line + " uses the placeholder " + m.group()
                            + " but no earlier command printed an id starting with '" + m.group(1) + "'");
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(id));
            }
            m.appendTail(sb);
            return sb.toString();
        }
    }

    static ReadmeTour parse(String readme) {
        List<Command> commands = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        String[] lines = readme.replace("\r", "").split("\n", -1);
        String previous = "";
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].stripLeading().startsWith("```") && !lines[i].equals("```sh") && !lines[i].equals("```")) {
                throw new AssertionError("README line " + (i + 1) + ": write shell blocks as ```sh and others as ```, not '" + lines[i] + "'");
            }
            if (lines[i].equals("```")) {
                int end = i + 1;
                while (end < lines.length && !lines[end].equals("```")) end++;
                previous = "```";
                i = end;
                continue;
            }
            if (!lines[i].equals("```sh")) {
                if (!lines[i].isBlank()) previous = lines[i].strip();
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < lines.length && !lines[end].equals("```")) end++;
            if (end == lines.length) throw new AssertionError("README line " + i + ": a ```sh block is never closed");
            if (previous.startsWith("<!-- readme-tour")) {
                Matcher skip = SKIP.matcher(previous);
                if (!skip.matches() || skip.group(1).isBlank()) {
                    throw new AssertionError("README line " + i + ": write '<!-- readme-tour: skip: REASON -->' before a block the tour does not run");
                }
                skipped.add("line " + (i + 1) + ": " + skip.group(1));
            } else {
                commands.addAll(block(lines, start, end));
            }
            previous = "```";
            i = end;
        }
        return new ReadmeTour(List.copyOf(commands), List.copyOf(skipped));
    }

    private static List<Command> block(String[] lines, int start, int end) {
        List<Command> commands = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int first = -1;
        for (int i = start; i < end; i++) {
            String line = text.isEmpty() ? lines[i] : lines[i].stripLeading();
            if (text.isEmpty() && (line.isBlank() || line.strip().startsWith("#"))) continue;
            if (first < 0) first = i + 1;
            if (line.endsWith("\\")) {
                text.append(line, 0, line.length() - 1);
                continue;
            }
            text.append(line);
            commands.add(command(first, text.toString()));
            text.setLength(0);
            first = -1;
        }
        if (!text.isEmpty()) throw new AssertionError("README line " + first + ": a continued command never ends");
        return commands;
    }

    private static Command command(int line, String written) {
        int hash = commentStart(written);
        String comment = hash < 0 ? "" : written.substring(hash);
        String code = OPTIONAL.matcher(hash < 0 ? written : written.substring(0, hash)).replaceAll("").stripTrailing();
        Expect expect = comment.contains("until Ctrl-C") ? Expect.RUNS_UNTIL_STOPPED
                : comment.replaceFirst("^#\\s*", "").startsWith("refused") ? Expect.REFUSED : Expect.SUCCESS;
        return new Command(line, code, expect);
    }

    /** Where a trailing comment starts: a '#' after whitespace, outside quotes; -1 without one. */
    static int commentStart(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && i > 0 && Character.isWhitespace(line.charAt(i - 1))) {
                return i;
            }
        }
        return -1;
    }
}

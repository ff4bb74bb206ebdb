package io.jipvs.it.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A corpus scenario: command lines (ipvsadm arguments, shell-like quoting with '' and ""),
 * optionally with stdin given as a here-document ({@code -R <<EOF} ... {@code EOF}).
 * {@code #} starts a comment line; the line {@code (none)} means "no arguments at all";
 * {@code @same-ns} before a read-only line compares jipvs with ipvsadm run in the same
 * namespace (for output that depends on the kernel's per-namespace hash order).
 */
record Scenario(String name, List<Step> steps) {

    /** {@code sameNamespace}: a read-only line compared within jipvs's namespace. */
    record Step(int lineNumber, List<String> args, String stdin, boolean sameNamespace) {
        @Override
        public String toString() {
            return "line " + lineNumber + ": " + String.join(" ", args) + (stdin == null ? "" : " <<EOF\n" + stdin + "EOF");
        }
    }

    /** The corpus files (src/test/resources/cli-corpus/*.scn), in name order. */
    static List<Path> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(Scenario.class.getResource("/cli-corpus").toURI());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".scn")).sorted().toList();
        }
    }

    static Scenario read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int number = i + 1;
            boolean same = trimmed.startsWith("@same-ns ");
            if (same) {
                line = line.substring(line.indexOf("@same-ns ") + 9);
                trimmed = line.strip();
            }
            String stdin = null;
            int heredoc = line.indexOf("<<EOF");
            if (heredoc >= 0) {
                line = line.substring(0, heredoc);
                StringBuilder sb = new StringBuilder();
                while (++i < lines.size() && !lines.get(i).equals("EOF")) {
                    sb.append(lines.get(i)).append('\n');
                }
                stdin = sb.toString();
            }
            List<String> args = trimmed.equals("(none)") ? List.of() : split(line);
            steps.add(new Step(number, args, stdin, same));
        }
        String name = file.getFileName().toString().replaceFirst("\\.scn$", "");
        return new Scenario(name, steps);
    }

    /** Splits like a shell: blanks separate, '...' and "..." quote (so '' is an empty argument). */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                if (cur == null) {
                    cur = new StringBuilder();
                }
            } else if (c == ' ' || c == '\t') {
                if (cur != null) {
                    out.add(cur.toString());
                    cur = null;
                }
            } else {
                if (cur == null) {
                    cur = new StringBuilder();
                }
                cur.append(c);
            }
        }
        if (cur != null) {
            out.add(cur.toString());
        }
        return out;
    }
}

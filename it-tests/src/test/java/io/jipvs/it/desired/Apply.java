package io.jipvs.it.desired;

import io.jipvs.it.lab.Build;
import io.jipvs.it.lab.Exec;
import io.jipvs.it.lab.Netns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the real launcher's export, diff and apply inside a namespace, on its own JVM. */
final class Apply {
    private Apply() {
    }

    /** jipvs ARGS in {@code ns}, standard input from {@code stdin} (null: empty). */
    static Exec.Result jipvs(Netns ns, String stdin, String... args) {
        return traced(ns, null, stdin, args);
    }

    /** As {@link #jipvs}, under strace writing its send calls to {@code straceLog} when not null. */
    static Exec.Result traced(Netns ns, Path straceLog, String stdin, String... args) {
        try {
            Path in = Files.createTempFile("jipvs-apply", ".in");
            try {
                Files.writeString(in, stdin == null ? "" : stdin);
                List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns.name(), "env",
                        "JIPVS_DAEMON=off"));
                if (straceLog != null) {
                    command.addAll(List.of("strace", "-f", "-qq", "-e", "trace=sendto,sendmsg", "-e", "signal=none",
                            "-s", "32", "-o", straceLog.toString()));
                }
                command.add(Build.launcher());
                command.addAll(List.of(args));
                // Exec gives /dev/null as input; the file goes in through a shell redirection.
                List<String> shell = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" < \"$0\"", in.toString()));
                shell.addAll(command);
                return Exec.run(shell);
            } finally {
                Files.deleteIfExists(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file holding {@code text}, deleted by the caller. */
    static Path file(String text) {
        try {
            Path f = Files.createTempFile("jipvs-desired", ".yaml");
            Files.writeString(f, text, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** IPVS's read commands (GET_SERVICE, GET_DEST, GET_DAEMON, GET_CONFIG, GET_INFO). */
    private static final java.util.Set<Integer> READS = java.util.Set.of(4, 8, 11, 13, 15);
    /** The first message of a send: its type and the first byte of its payload, the genl command. */
    private static final java.util.regex.Pattern FIRST = java.util.regex.Pattern.compile(
            "nlmsg_type=([^,]+),[^}]*\\}, \"\\\\x([0-9a-f]{2})");

    /**
     * Send calls of a strace log that carry a change: IPVS requests (not nlctrl's family lookups)
     * whose first message's generic-netlink command is not a read.
     */
    static List<String> changeSends(Path straceLog) {
        try {
            return Files.readAllLines(straceLog).stream()
                    .filter(l -> l.contains("sendto(") || l.contains("sendmsg("))
                    .filter(l -> {
                        java.util.regex.Matcher m = FIRST.matcher(l);
                        // nlctrl is generic netlink's family lookup (type 0x10, which older strace
                        // does not name); generic-netlink families are numbered below 0x100, so
                        // named types (RTM_*) and 0xa01 and up (nfnetlink: apply listing the FULLNAT
                        // table through nft) are not IPVS.
                        return m.find() && m.group(1).matches("0x[0-9a-f]{1,2} .*") && !m.group(1).startsWith("0x10 ")
                                && !READS.contains(Integer.parseInt(m.group(2), 16));
                    })
                    .map(l -> l.length() > 300 ? l.substring(0, 300) + "..." : l)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

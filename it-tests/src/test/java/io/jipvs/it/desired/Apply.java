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

    /**
     * Send calls of a strace log that carry a change: IPVS requests flagged REQUEST, or
     * REQUEST|ACK (a batch acknowledges its last message only). A dump carries NLM_F_DUMP (0x300,
     * which strace may spell NLM_F_ROOT|NLM_F_MATCH or, not knowing the command,
     * NLM_F_REPLACE|NLM_F_EXCL), and family lookups are nlctrl's.
     */
    static long changeSends(Path straceLog) {
        try {
            return Files.readAllLines(straceLog).stream()
                    .filter(l -> (l.contains("sendto(") || l.contains("sendmsg(")) && l.contains("nlmsg_type="))
                    .filter(l -> !l.contains("nlmsg_type=nlctrl")
                            && (l.contains("nlmsg_flags=NLM_F_REQUEST,") || l.contains("nlmsg_flags=NLM_F_REQUEST|NLM_F_ACK,")))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

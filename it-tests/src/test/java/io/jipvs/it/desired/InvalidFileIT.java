package io.jipvs.it.desired;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.desired.ApplyCommand;
import io.jipvs.it.lab.Exec;
import io.jipvs.it.lab.Netns;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every invalid file of the config reader's corpus, applied with jipvs apply on a table that
 * holds services: exactly the file's errors on stderr (named as given), exit 2, the table
 * untouched and no ownership record written.
 */
class InvalidFileIT {

    @Test
    void everyInvalidFileIsRefusedWholeWithItsExactErrors() throws Exception {
        Path corpus = Path.of(InvalidFileIT.class.getResource("/config-invalid").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(corpus)) {
            files = s.filter(p -> !p.toString().endsWith(".expect")).sorted().toList();
        }
        assertTrue(files.size() >= 25, "only " + files.size() + " invalid files");
        try (Netns ns = Netns.create()) {
            ns.ipvsadm("-A", "-t", "192.0.2.1:80", "-s", "rr").orThrow();
            ns.ipvsadm("-a", "-t", "192.0.2.1:80", "-r", "10.0.0.1", "-m").orThrow();
            String before = ns.ipvsadm("-Sn").orThrow().stdout();
            List<String> failures = new ArrayList<>();
            for (Path f : files) {
                String name = f.getFileName().toString();
                Path source = name.endsWith(".json") ? f.resolveSibling(name.replaceFirst("\\.json$", ".expect")) : f;
                StringBuilder want = new StringBuilder();
                for (String l : Files.readAllLines(source)) {
                    if (l.startsWith("# expect: ")) {
                        want.append(f).append(':').append(l.substring("# expect: ".length())).append('\n');
                    }
                }
                // Through the launcher for two files (the whole path); in this JVM for the rest,
                // which saves a JVM start per file (seconds each under emulation).
                boolean launcher = name.startsWith("01-") || name.startsWith("31-");
                Exec.Result r = launcher ? Apply.jipvs(ns, null, "apply", "--prune=all", "-f", f.toString())
                        : inProcess(ns.name(), f.toString());
                if (r.exitCode() != 2 || !r.stderr().equals(want.toString()) || !r.stdout().isEmpty()) {
                    failures.add(name + ": exit " + r.exitCode() + "\n--- expected\n" + want + "--- got\n" + r.stderr()
                            + r.stdout());
                }
            }
            assertEquals(List.of(), failures);
            assertEquals(before, ns.ipvsadm("-Sn").orThrow().stdout(), "the table is untouched");
            String cookie = Exec.run("ip", "netns", "exec", ns.name(), "python3", "-c",
                    "import socket; s=socket.socket(); print(int.from_bytes(s.getsockopt(socket.SOL_SOCKET, 71, 8), 'little'))")
                    .stdout().strip();
            assertTrue(!Files.exists(Path.of("/run/jipvs/apply-" + cookie + ".state")), "no record was written");
        }
    }

    /** jipvs apply run by picocli in this JVM, as the launcher's main would. */
    private static Exec.Result inProcess(String netns, String file) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = new CommandLine(new ApplyCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("--netns", netns, "--prune=all", "-f", file);
        return new Exec.Result(rc, out.toString(), err.toString());
    }
}

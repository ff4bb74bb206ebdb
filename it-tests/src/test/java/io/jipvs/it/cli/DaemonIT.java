package io.jipvs.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jipvs.it.lab.Build;
import io.jipvs.it.lab.Exec;
import io.jipvs.it.lab.Installation;
import io.jipvs.it.lab.Netns;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * `jipvs daemon` and jipvs-client, through the real launcher: one daemon in its own namespace
 * serves the whole differential corpus (each line with --netns of a fresh namespace, compared
 * with ipvsadm's stdout, stderr and status as DifferentialIT does), and the daemon's own log
 * proves each line was served by it rather than by the JVM fallback. Then what it must not
 * serve: other users, callers the kernel would refuse, helper subcommands. Last, how it stops:
 * SIGTERM lets a restore in flight finish. The attacks on it are DaemonTrustIT's.
 *
 * <p>Clients run with JIPVS_PROGRAM=ipvsadm, so messages quoting argv[0] compare equal.
 */
class DaemonIT {
    private static Netns home;
    private static String launcher;
    private static Path log;
    private static Process daemon;

    @BeforeAll
    static void startDaemon() throws IOException {
        launcher = Build.launcher();
        assertTrue(Files.isExecutable(Build.cliTarget().resolve("lib/jipvs-client")),
                "no jipvs-client next to the launcher (make build needs a C compiler)");
        home = Netns.create();
        log = Files.createTempFile("jipvs-daemon", ".log");
        daemon = startDaemon(launcher, home, log);
    }

    /** `LAUNCHER daemon --verbose` in {@code ns}, logging to {@code log}, once it serves. */
    static Process startDaemon(String launcher, Netns ns, Path log) throws IOException {
        Process d = new ProcessBuilder("ip", "netns", "exec", ns.name(), launcher, "daemon", "--verbose")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
        // A JVM start under emulation: seconds.
        await(120, () -> logged(log, "jipvs daemon: serving ") || !d.isAlive());
        assertTrue(d.isAlive(), () -> "the daemon exited " + d.exitValue() + ": " + read(log));
        return d;
    }

    @AfterAll
    static void stopDaemon() throws InterruptedException, IOException {
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor();
        }
        if (home != null) {
            home.close();
        }
        Files.deleteIfExists(log);
    }

    @TestFactory
    Stream<DynamicTest> servesTheCorpusLikeIpvsadm() throws IOException, URISyntaxException {
        return Scenario.corpus().stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(Scenario.read(f))));
    }

    private static void run(Scenario scenario) throws IOException {
        List<String> differences = new ArrayList<>();
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            List<Scenario.Step> steps = scenario.steps();
            List<DifferentialIT.Result> expected = DifferentialIT.ipvsadmBatch(a, steps);
            // jipvs in the daemon's namespace, acting on B; a @same-ns line is followed by
            // ipvsadm in B at that point, the reference for output in B's hash order.
            List<DifferentialIT.Command> commands = new ArrayList<>();
            List<Integer> served = new ArrayList<>();
            for (Scenario.Step step : steps) {
                served.add(commands.size());
                commands.add(new DifferentialIT.Command(client(b, step.args()), step.stdin()));
                if (step.sameNamespace()) {
                    List<String> ref = new ArrayList<>(List.of("ip", "netns", "exec", b.name(), "ipvsadm"));
                    ref.addAll(step.args());
                    commands.add(new DifferentialIT.Command(ref, step.stdin()));
                }
            }
            long before = servedCount();
            List<DifferentialIT.Result> actual = DifferentialIT.batch(home, commands);
            for (int i = 0; i < steps.size(); i++) {
                Scenario.Step step = steps.get(i);
                int at = served.get(i);
                DifferentialIT.Result reference = step.sameNamespace() ? actual.get(at + 1) : expected.get(i);
                DifferentialIT.compare(differences, step.toString(), reference, actual.get(at));
            }
            assertEquals(steps.size(), servedCount() - before,
                    () -> "lines the daemon served (the rest fell back to a JVM each); it said:\n" + notServed());
        }
        if (!differences.isEmpty()) {
            fail(scenario.name() + " through the daemon: " + differences.size() + " difference(s)\n"
                    + String.join("\n", differences));
        }
    }

    /** The client's command line for ipvsadm arguments {@code args}, acting on {@code ns}. */
    private static List<String> client(Netns ns, List<String> args) {
        // The lab emulates its CPU: a pause of a few seconds is no sign of a hung daemon there.
        List<String> argv = new ArrayList<>(List.of("env", "JIPVS_PROGRAM=ipvsadm", "JIPVS_DAEMON_WAIT_MS=30000",
                launcher, "--netns", ns.name()));
        argv.addAll(args);
        return argv;
    }

    private static long servedCount() throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.matches("jipvs daemon: pid \\d+: .* -> -?\\d+")).count();
    }

    /** The daemon's log lines other than commands served. */
    private static String notServed() {
        try {
            return String.join("\n", Files.readAllLines(log).stream()
                    .filter(l -> !l.matches("jipvs daemon: pid \\d+: .* -> -?\\d+")).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lastLogLine() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Test
    void writesToTheCallersOwnDescriptors() throws IOException {
        // Appending to a file only works if the daemon writes through the caller's descriptor
        // (its O_APPEND and offset), not a file it opened again.
        Path out = Files.createTempFile("jipvs-daemon", ".out");
        try {
            Files.writeString(out, "kept\n");
            String script = "ipvsadm -A -t 10.7.0.1:80 -s rr && env JIPVS_PROGRAM=ipvsadm \"$1\" -Sn >> \"$2\""
                    + " && printf '%s\\n' '-a -t 10.7.0.1:80 -r 10.7.0.2 -g -w 3' | \"$1\" -R && ipvsadm -C";
            home.run("sh", "-c", script, "sh", launcher, out.toString()).orThrow();
            assertEquals("kept\n-A -t 10.7.0.1:80 -s rr\n", Files.readString(out));
            assertTrue(lastLogLine().endsWith(": -R -> 0"), lastLogLine());
        } finally {
            Files.delete(out);
        }
    }

    @Test
    void otherUsersGetTheJvmPathWithoutReachingTheDaemon() throws IOException {
        String[] nobody = {"setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"};
        long before = Files.readAllLines(log).size();
        // An installed jipvs: nobody may not reach into the checkout, which may be in root's home.
        try (Installation installed = Installation.create()) {
            assertEquals(home.run(concat(nobody, "ipvsadm", "-Ln")),
                    home.run(concat(nobody, "env", "JIPVS_PROGRAM=ipvsadm", installed.launcher(), "-Ln")));
        }
        // /run/jipvs is root's alone: nobody's client cannot even see the socket.
        assertEquals(before, Files.readAllLines(log).size(), "the daemon heard from nobody");
    }

    @Test
    void rootThatDroppedNetAdminOrSitsInAnotherUserNamespaceIsNotServed() throws IOException {
        String[] dropped = {"setpriv", "--inh-caps", "-net_admin", "--bounding-set", "-net_admin"};
        long before = servedCount();
        assertEquals(home.run(concat(dropped, "ipvsadm", "-Ln")),
                home.run(concat(dropped, "env", "JIPVS_PROGRAM=ipvsadm", launcher, "-Ln")));
        // Full capabilities, but of a child user namespace: they do not count for this netns.
        // (A kernel without user namespaces has nothing to bypass: unshare itself fails there.)
        String[] userns = {"unshare", "--user", "--map-root-user"};
        assertEquals(home.run(concat(userns, "ipvsadm", "-Ln")),
                home.run(concat(userns, "env", "JIPVS_PROGRAM=ipvsadm", launcher, "-Ln")));
        assertEquals(before, servedCount(), "served a caller the kernel would refuse: " + lastLogLine());
    }

    @Test
    void aCallerWithoutSysAdminGetsTheJvmPathsErrorForAnotherNamespace() throws IOException {
        try (Netns other = Netns.create()) {
            String[] noSysAdmin = {"setpriv", "--inh-caps", "-sys_admin", "--bounding-set", "-sys_admin"};
            long before = servedCount();
            Exec.Result r = home.run(concat(noSysAdmin, "env", "JIPVS_PROGRAM=ipvsadm", launcher, "--netns",
                    other.name(), "-Ln"));
            assertTrue(r.exitCode() != 0, "entered a namespace without CAP_SYS_ADMIN: " + r);
            assertEquals(home.run(concat(noSysAdmin, "env", "JIPVS_DAEMON=off", "JIPVS_PROGRAM=ipvsadm", launcher,
                    "--netns", other.name(), "-Ln")), r);
            assertEquals(before, servedCount(), lastLogLine());
            // The same path means the same namespace to client and daemon: served.
            home.run(launcher, "--netns", "/proc/self/ns/net", "-Ln").orThrow();
            assertTrue(lastLogLine().endsWith(": --netns /proc/self/ns/net -Ln -> 0"), lastLogLine());
        }
    }

    @Test
    void servesApplyDiffAndExportFromStandardInputOnTheCallersSocket() throws IOException {
        String file = "services: [ { protocol: tcp, address: 10.7.1.1, port: 80, realServers: [ { address: 10.7.1.2 } ] } ]";
        String script = "printf '%s\\n' \"$2\" | \"$1\" apply -f - && printf '%s\\n' \"$2\" | \"$1\" diff -f -"
                + " && \"$1\" export";
        Exec.Result r = home.run("sh", "-c", script, "sh", launcher, file);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("+ TCP 10.7.1.1:80 wlc\n+ TCP 10.7.1.1:80 -> 10.7.1.2:80 dr weight 1\nnothing to do\n"
                + "services:\n  - protocol: tcp\n    address: 10.7.1.1\n    port: 80\n    realServers:\n"
                + "      - address: 10.7.1.2\n", r.stdout());
        List<String> lines = Files.readAllLines(log);
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        assertTrue(tail.contains(": apply -f - -> 0") && tail.contains(": diff -f - -> 0") && tail.endsWith(": export -> 0"),
                tail);
        // A path is opened by the caller's own process, not by root in the daemon.
        home.run("sh", "-c", "printf 'services: []\\n' > /tmp/jipvs-daemon-empty.yaml && \"$1\" apply -f"
                + " /tmp/jipvs-daemon-empty.yaml; rm -f /tmp/jipvs-daemon-empty.yaml", "sh", launcher).orThrow();
        assertTrue(lastLogLine().endsWith(": declined, -f with a path (the caller opens its own files)"), lastLogLine());
        assertEquals("", home.ipvsadm("-Sn").orThrow().stdout(), "the path's apply ran, on the JVM path");
    }

    @Test
    void declinesHelperSubcommands() throws IOException {
        Exec.Result help = home.run(launcher, "rs-status", "--help");
        assertEquals(0, help.exitCode(), help.stderr());
        assertTrue(help.stdout().contains("\nUsage: jipvs rs-status "), help.stdout());
        assertTrue(lastLogLine().endsWith(": declined, a helper subcommand"), lastLogLine());
    }

    @Test
    void isNotReachedFromAnotherNamespaceAndIsTheOnlyOneInItsOwn() throws IOException {
        long before = Files.readAllLines(log).size();
        try (Netns other = Netns.create()) {
            other.ipvsadm("-A", "-u", "10.8.0.1:53").orThrow();
            Exec.Result listed = other.run("env", "JIPVS_PROGRAM=ipvsadm", launcher, "-Ln");
            assertEquals(other.ipvsadm("-Ln"), listed);
        }
        assertEquals(before, Files.readAllLines(log).size(), "the daemon heard from another namespace");
        Exec.Result second = home.run(launcher, "daemon");
        assertEquals(1, second.exitCode());
        assertTrue(second.stderr().startsWith("jipvs daemon: cannot listen: a daemon already serves this network"
                + " namespace"), second.stderr());
    }

    @Test
    void finishesARestoreInFlightWhenTerminatedThenExits() throws IOException, InterruptedException {
        // 2,000 services with a real server each, and one line ipvsadm rejects (a service added
        // twice) in the middle, so that the client has something to print.
        StringBuilder first = new StringBuilder();
        StringBuilder rest = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            String vip = "10.11." + i / 250 + "." + (i % 250 + 1) + ":80";
            (i < 1500 ? first : rest).append("-A -t ").append(vip).append(" -s rr\n-a -t ").append(vip)
                    .append(" -r 10.12.0.1:80 -m -w 2\n");
        }
        rest.insert(0, "-A -t 10.11.0.1:80 -s wlc\n");
        byte[] head = first.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] tail = rest.toString().getBytes(StandardCharsets.US_ASCII);
        // More than a pipe holds (64 KiB): once this much is written, the command is reading it.
        assertTrue(head.length > 80_000, "first part of " + head.length + " bytes");
        Path input = Files.createTempFile("jipvs-restore", ".txt");
        Path stopLog = Files.createTempFile("jipvs-daemon-stop", ".log");
        Process stopping = null;
        Process client = null;
        try (Netns ns = Netns.create(); Netns reference = Netns.create()) {
            Files.write(input, head);
            Files.write(input, tail, StandardOpenOption.APPEND);
            Exec.Result expected = reference.run("sh", "-c", "ipvsadm -R < \"$1\"", "sh", input.toString());
            assertEquals(0, expected.exitCode(), expected.stderr());

            stopping = startDaemon(launcher, ns, stopLog);
            Process daemonToStop = stopping;
            client = new ProcessBuilder("ip", "netns", "exec", ns.name(), "env", "JIPVS_PROGRAM=ipvsadm", launcher, "-R")
                    .start();
            InputStream clientOut = client.getInputStream();
            InputStream clientErr = client.getErrorStream();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> Exec.read(clientOut));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> Exec.read(clientErr));
            try (OutputStream stdin = client.getOutputStream()) {
                // Nothing but the daemon's command reads the client's stdin: when this write is
                // through, the -R is in flight there.
                FutureTask<Void> written = new FutureTask<>(() -> {
                    stdin.write(head);
                    stdin.flush();
                    return null;
                });
                new Thread(written, "restore-input").start();
                written.get(120, TimeUnit.SECONDS);
                stopping.destroy();
                await(60, () -> logged(stopLog, "stopping: ") || !daemonToStop.isAlive());
                assertTrue(logged(stopLog, "stopping: no new commands; 1 client(s) connected"), read(stopLog));
                assertTrue(client.isAlive() && stopping.isAlive(), read(stopLog));
                stdin.write(tail);
            } catch (ExecutionException | TimeoutException e) {
                fail("the daemon did not read the restore's input: " + read(stopLog), e);
            }
            assertTrue(client.waitFor(120, TimeUnit.SECONDS), "the client did not finish: " + read(stopLog));
            assertEquals(expected, new Exec.Result(client.exitValue(), out.join(), err.join()));
            // Every service and real server of the input (listed in each namespace's own hash order).
            assertEquals(sortedLines(reference.ipvsadm("-Sn").orThrow().stdout()),
                    sortedLines(ns.ipvsadm("-Sn").orThrow().stdout()));
            assertTrue(stopping.waitFor(120, TimeUnit.SECONDS), "the daemon did not exit: " + read(stopLog));
            String said = read(stopLog);
            assertTrue(said.matches("(?s).*jipvs daemon: pid \\d+: -R -> 0\n.*"), "not served by the daemon:\n" + said);
            assertTrue(said.endsWith("jipvs daemon: stopped: every command finished\n"), said);
        } finally {
            for (Process p : new Process[] {client, stopping}) {
                if (p != null) {
                    p.destroyForcibly();
                }
            }
            Files.delete(input);
            Files.delete(stopLog);
        }
    }

    private static List<String> sortedLines(String text) {
        return text.lines().sorted().toList();
    }

    static boolean logged(Path log, String text) {
        return read(log).contains(text);
    }

    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} until it holds or {@code seconds} have passed. */
    static void await(int seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static String[] concat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}

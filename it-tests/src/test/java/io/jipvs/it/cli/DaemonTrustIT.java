package io.jipvs.it.cli;

import static io.jipvs.it.cli.DaemonIT.await;
import static io.jipvs.it.cli.DaemonIT.concat;
import static io.jipvs.it.cli.DaemonIT.logged;
import static io.jipvs.it.cli.DaemonIT.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.it.lab.Build;
import io.jipvs.it.lab.Exec;
import io.jipvs.it.lab.Netns;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attacks of issue 12 on the resident daemon, kept as tests (the attackers are
 * resources/io/jipvs/it/cli/daemon-attacks.py): an unprivileged user taking every name it can
 * before the daemon starts, a root process without capabilities squatting the daemon's socket or
 * holding it with a full backlog, a caller without capabilities, and a privileged caller handing
 * over a socket a capability-less process opened, over-long and slow requests. Each must fail
 * safe: root's commands print the real answer promptly, nothing reaches an impostor, and the
 * kernel refuses what the caller could not do alone, word for word as on the JVM path.
 */
class DaemonTrustIT {
    /** A root process stripped of every capability, as a hostNetwork pod or sandboxed service may be. */
    private static final String[] CAPABILITY_LESS = {"setpriv", "--inh-caps=-all", "--bounding-set=-all"};
    private static final String[] NOBODY = {"setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"};
    /** Far beyond a JVM start in the lab, and far below forever, which is what the old client waited. */
    private static final int PROMPTLY = 90;

    static Netns home;
    static String launcher;
    static Path attacks;
    static Path log;
    static Attacker holder;
    static Process daemon;
    static String socket;

    @BeforeAll
    static void startDaemonAfterAnUnprivilegedUserTookWhatItCould() throws IOException {
        attackersFirst();
        daemon = DaemonIT.startDaemon(launcher, home, log);
        Matcher m = Pattern.compile("serving (\\S+) in network namespace").matcher(read(log));
        assertTrue(m.find(), read(log));
        socket = m.group(1);
    }

    /** The attack script, the namespace, and an unprivileged user holding every name it can. */
    static void attackersFirst() throws IOException {
        launcher = Build.launcher();
        attacks = Files.createTempFile("jipvs-attacks", ".py");
        try (InputStream in = DaemonTrustIT.class.getResourceAsStream("daemon-attacks.py")) {
            Files.write(attacks, in.readAllBytes());
        }
        Files.setPosixFilePermissions(attacks, PosixFilePermissions.fromString("rw-r--r--"));
        home = Netns.create();
        holder = Attacker.start(home, concat(NOBODY, "python3", attacks.toString(), "hold", "auto"));
        log = Files.createTempFile("jipvs-daemon", ".log");
    }

    @AfterAll
    static void stop() throws IOException, InterruptedException {
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor();
        }
        if (holder != null) {
            holder.close();
        }
        if (home != null) {
            home.close();
        }
        for (Path p : new Path[] {attacks, log}) {
            if (p != null) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void anUnprivilegedUserNeitherKeepsTheDaemonFromStartingNorStallsRoot() throws IOException {
        String held = holder.said();
        assertTrue(held.contains("holding @jipvs\n"), held);
        assertTrue(held.contains("cannot hold " + socket + " "), held);
        assertTrue(daemon.isAlive(), read(log));
        long before = served();
        assertEquals(home.ipvsadm("-Ln"), within(PROMPTLY, home, "env", "JIPVS_PROGRAM=ipvsadm", launcher, "-Ln"));
        assertEquals(before + 1, served(), "served by the daemon: " + read(log));
    }

    @Test
    void aRootSquatterWithoutCapabilitiesGetsNoByteAndNoDescriptor() throws IOException, InterruptedException {
        try (Netns ns = Netns.create();
             Attacker squatter = Attacker.start(ns, concat(CAPABILITY_LESS, "python3", attacks.toString(), "squat", "auto"))) {
            assertEquals(ns.ipvsadm("-Ln"), within(PROMPTLY, ns, "env", "JIPVS_PROGRAM=ipvsadm", launcher, "-Ln"));
            squatter.stop();
            List<String> connections = squatter.said().lines().filter(l -> l.startsWith("connection ")).toList();
            // The client found the socket, connected, judged the listener, and left without a word.
            assertEquals(List.of("connection path bytes=0 fds=0"), connections, squatter.said());
        }
    }

    @Test
    void aFullBacklogOnTheDaemonsSocketSendsRootToTheJvmPathAtOnce() throws IOException, InterruptedException {
        try (Netns ns = Netns.create();
             Attacker hog = Attacker.start(ns, concat(CAPABILITY_LESS, "python3", attacks.toString(), "hold", "auto"))) {
            assertTrue(hog.said().contains("holding /run/jipvs/daemon-"), hog.said());
            assertEquals(ns.ipvsadm("-Ln"), within(PROMPTLY, ns, "env", "JIPVS_PROGRAM=ipvsadm", launcher, "-Ln"));
        }
    }

    @Test
    void aCallerWithoutCapabilitiesGetsExactlyWhatTheJvmPathGivesIt() {
        forChangesTheCallerMayNotMake(args -> {
            Exec.Result alone = aloneWithoutCapabilities(args);
            assertNotEquals(0, alone.exitCode(), alone.toString());
            assertEquals(alone, home.run(concat(CAPABILITY_LESS, concat(new String[] {"env", "JIPVS_PROGRAM=ipvsadm",
                    launcher}, args))));
        });
    }

    @Test
    void theKernelRefusesASocketOpenedWithoutCapabilitiesWhoeverHandsItOver() {
        forChangesTheCallerMayNotMake(args -> {
            // The passer itself is root with every capability: the daemon's own check lets it in.
            Exec.Result passed = home.run(concat(new String[] {"python3", attacks.toString(), "send-foreign", socket,
                    "ipvsadm"}, args));
            Exec.Result alone = aloneWithoutCapabilities(args);
            assertEquals(alone, passed);
            assertTrue(read(log).contains(": " + String.join(" ", args) + " -> " + alone.exitCode() + "\n"),
                    "the daemon ran it, and the kernel refused: " + read(log));
        });
    }

    /**
     * A served apply of a FULLNAT file would have the daemon run nft as root. A caller without
     * CAP_NET_ADMIN is declined, and one that got past that would still be judged by the kernel on
     * its own socket (an IPVS call) before nft runs: no rule, no sysctl, no service.
     */
    @Test
    void aCallerWithoutCapabilitiesCannotHaveTheDaemonWriteTheFullnatTable() {
        String yaml = "services: [ { protocol: tcp, address: 10.99.0.3, port: 80, forwarding: fullnat } ]\n";
        String conntrack = home.run("cat", "/proc/sys/net/ipv4/vs/conntrack").orThrow().stdout();
        int logged = read(log).length();
        Exec.Result served = home.run(concat(new String[] {"sh", "-c", "printf '%s' \"$1\" | \"$0\" apply -f -"},
                new String[] {String.join(" ", CAPABILITY_LESS) + " " + launcher, yaml}));
        assertNotEquals(0, served.exitCode(), served.toString());
        // Whether the client even asks (it may know it lacks the capability), the daemon must
        // not have run it to success.
        String said = read(log).substring(logged);
        assertFalse(said.contains(": apply -f - -> 0"), said);
        assertEquals("", home.run("nft", "list", "table", "inet", "jipvs").stdout(), "no table inet jipvs");
        assertEquals(conntrack, home.run("cat", "/proc/sys/net/ipv4/vs/conntrack").orThrow().stdout());
        assertEquals("", home.ipvsadm("-Sn").orThrow().stdout());
    }

    /** Tries -C and -A on a table of one service, each through {@code attempt}; the table must not change. */
    private static void forChangesTheCallerMayNotMake(Consumer<String[]> attempt) {
        home.ipvsadm("-A", "-t", "10.99.0.1:80").orThrow();
        try {
            String table = home.ipvsadm("-Sn").orThrow().stdout();
            attempt.accept(new String[] {"-C"});
            attempt.accept(new String[] {"-A", "-t", "10.99.0.2:80", "-s", "rr"});
            assertEquals(table, home.ipvsadm("-Sn").orThrow().stdout());
        } finally {
            home.ipvsadm("-C").orThrow();
        }
    }

    /** What a capability-less root gets for {@code args} on its own JVM, no daemon involved. */
    private static Exec.Result aloneWithoutCapabilities(String[] args) {
        return home.run(concat(CAPABILITY_LESS, concat(new String[] {"env", "JIPVS_DAEMON=off", "JIPVS_PROGRAM=ipvsadm",
                launcher}, args)));
    }

    @Test
    void dropsOverLongRequestsAtOnceAndSlowOnesWithinTheDeadlineWhileServingOthers()
            throws IOException, InterruptedException {
        long rss = residentKib();
        Exec.Result many = home.run("python3", attacks.toString(), "oversized", socket, "5000", "0");
        assertTrue(closedAfter(many.stdout()) < 4, many.toString());
        assertTrue(logged(log, "dropped a client: io.jipvs.cli.daemon.Wire$WireException: request of 5000 arguments"
                + " is too long"), read(log));
        Exec.Result large = home.run("python3", attacks.toString(), "oversized", socket, "1", "4194304");
        assertTrue(closedAfter(large.stdout()) < 4, large.toString());
        assertTrue(logged(log, "request of 4194304 bytes is too large"), read(log));
        // 4 MiB of empty arguments once took a daemon from 77 to 420 MB.
        for (int i = 0; i < 10; i++) {
            home.run("python3", attacks.toString(), "oversized", socket, "200000", "0");
        }
        assertTrue(residentKib() - rss < 64 << 10, "the daemon grew from " + rss + " to " + residentKib() + " KiB");

        try (Attacker slow = Attacker.start(home, List.of("python3", attacks.toString(), "slow", socket))) {
            long before = served();
            assertEquals(home.ipvsadm("-Ln"), within(PROMPTLY, home, "env", "JIPVS_PROGRAM=ipvsadm", launcher, "-Ln"));
            assertEquals(before + 1, served(), "served meanwhile: " + read(log));
            assertTrue(slow.process().waitFor(60, TimeUnit.SECONDS), slow.said());
            double seconds = closedAfter(slow.said());
            // The whole request gets 5 s, however its bytes trickle in (it once got 10 s per byte).
            assertTrue(seconds >= 4.5 && seconds < 8, seconds + " s");
            assertTrue(logged(log, "no complete request within 5000 ms"), read(log));
        }
    }

    @Test
    void takesTheSocketSystemdHandsOver() throws IOException, InterruptedException {
        socketActivation();
    }

    /** The daemon's socket activation by systemd's tool (the installed units under systemd: DebianPackageIT). */
    static void socketActivation() throws IOException, InterruptedException {
        Path activated = Files.createTempFile("jipvs-activated", ".log");
        try (Netns ns = Netns.create()) {
            Path path = Path.of("/run/jipvs/daemon-" + ns.run("python3", attacks.toString(), "cookie").orThrow().stdout()
                    .strip() + ".sock");
            Process d = new ProcessBuilder("ip", "netns", "exec", ns.name(), "systemd-socket-activate", "-l",
                    path.toString(), launcher, "daemon", "--verbose").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(activated.toFile()).start();
            try {
                await(60, () -> Files.exists(path) || !d.isAlive());
                // systemd-socket-activate starts its command at the first connection.
                ns.run("python3", attacks.toString(), "poke", path.toString()).orThrow();
                await(120, () -> logged(activated, "jipvs daemon: serving ") || !d.isAlive());
                assertTrue(logged(activated, "jipvs daemon: serving the socket systemd passed (descriptor 3)"),
                        read(activated));
                assertEquals(ns.ipvsadm("-Ln"), ns.run("env", "JIPVS_PROGRAM=ipvsadm", launcher, "-Ln"));
                assertTrue(logged(activated, ": -Ln -> 0\n"), read(activated));
            } finally {
                d.destroy();
                d.waitFor();
                Files.deleteIfExists(path);
            }
        } finally {
            Files.delete(activated);
        }
    }

    /** The seconds in an attacker's "closed after S s" line. */
    private static double closedAfter(String said) {
        Matcher m = Pattern.compile("closed after (\\d+\\.\\d) s").matcher(said);
        assertTrue(m.find(), said);
        return Double.parseDouble(m.group(1));
    }

    private static long served() {
        return read(log).lines().filter(l -> l.matches("jipvs daemon: pid \\d+: .* -> -?\\d+")).count();
    }

    private static long residentKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(daemon.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("no VmRSS for the daemon");
    }

    /** {@code command} in {@code ns} with its output to {@code out}, once it has printed "ready". */
    private static Process background(Netns ns, Path out, List<String> command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!command.contains("slow")) {
            await(60, () -> logged(out, "ready\n") || !p.isAlive());
            assertTrue(p.isAlive(), () -> "exited: " + read(out));
        }
        return p;
    }

    /** An attack script running in the background, what it says in a file of its own; gone on close. */
    private record Attacker(Process process, Path out) implements AutoCloseable {
        static Attacker start(Netns ns, List<String> command) throws IOException {
            Path out = Files.createTempFile("jipvs-attacker", ".out");
            return new Attacker(background(ns, out, command), out);
        }

        static Attacker start(Netns ns, String... command) throws IOException {
            return start(ns, List.of(command));
        }

        String said() {
            return read(out);
        }

        void stop() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            stop();
            Files.deleteIfExists(out);
        }
    }

    /** Runs {@code command} in {@code ns}; fails when it has not finished within {@code seconds}. */
    private static Exec.Result within(int seconds, Netns ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
        full.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> Exec.read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> Exec.read(p.getErrorStream()));
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("still running after " + seconds + " s: " + full);
            }
            // Another process that got hold of the caller's stdout or stderr keeps them open.
            return new Exec.Result(p.exitValue(), out.get(30, TimeUnit.SECONDS), err.get(30, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
            throw new AssertionError("the caller's output is still open after it exited: someone else holds it");
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

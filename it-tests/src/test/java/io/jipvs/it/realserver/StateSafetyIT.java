package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.realserver.RsSetupCommand;
import io.jipvs.cli.realserver.RsStatusCommand;
import io.jipvs.cli.realserver.RsTeardownCommand;
import io.jipvs.it.lab.Exec;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.sysctl.Sysctl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The helpers' records under attack (issue 12): a state directory someone else can write or a
 * link, concurrent runs, a namespace that reuses a deleted one's inode number, a VIP removed
 * behind jipvs's back. The kernel's view is read with ip(8) and /proc/sys.
 */
class StateSafetyIT {
    private Topology topology;
    private String rs;
    private final List<Path> temporary = new ArrayList<>();
    private Path dir;
    private Path victim;

    @BeforeEach
    void namespace() throws IOException {
        topology = new Topology("sst");
        rs = topology.namespace("rs");
        dir = temporaryDirectory("jipvs-state");
        victim = temporaryDirectory("jipvs-victim").resolve("file");
        Files.writeString(victim, "precious\n");
    }

    @AfterEach
    void cleanup() throws IOException {
        topology.close();
        for (Path t : temporary) {
            try (Stream<Path> all = Files.walk(t)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private Path temporaryDirectory(String prefix) throws IOException {
        Path d = Files.createTempDirectory(prefix);
        temporary.add(d);
        return d;
    }

    private Commands.Result run(String ns, Path stateDir, Object command, String... args) {
        return Commands.run(command, Commands.args(ns, stateDir.toString(), args));
    }

    private static String addrs(String ns) {
        return Exec.run("ip", "-n", ns, "addr", "show", "dev", "lo").orThrow().stdout();
    }

    private static String sysctl(String ns, String key) {
        return Topology.in(ns, () -> new Sysctl().read("net/ipv4/conf/" + key).orElse("-"));
    }

    /** The inode number the next namespace would get: that of a UTS namespace made and dropped at once. */
    private static long lowestFreeInode() {
        String link = Exec.run("unshare", "--uts", "readlink", "/proc/self/ns/uts").orThrow().stdout().strip();
        return Long.parseLong(link.substring("uts:[".length(), link.length() - 1));
    }

    /** Keeps the lowest free inode number taken, until the returned process is destroyed. */
    private static Process holdInode() {
        try {
            Process p = new ProcessBuilder("unshare", "--uts", "sh", "-c", "echo held; exec sleep 600")
                    .redirectErrorStream(true).start();
            // Once it speaks, its namespace (and the number) exists.
            String said = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertEquals("held", said);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static long inode(String ns) {
        try {
            return (Long) Files.getAttribute(Topology.path(ns), "unix:ino");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Refused with one message, nothing changed in the kernel, nothing written anywhere. */
    private void assertRefused(Path stateDir, String why) throws IOException {
        Commands.Result r = run(rs, stateDir, new RsSetupCommand(), "--vip", "10.0.0.100");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertEquals("rs-setup: state directory " + stateDir + " " + why + "; refusing it: jipvs keeps root's records"
                + " only in a real directory owned by root and writable by nobody else (default /run/jipvs)"
                + " (nothing was changed)\n", r.err());
        assertFalse(addrs(rs).contains("10.0.0.100"), addrs(rs));
        assertEquals("0", sysctl(rs, "all/arp_ignore"));
        Commands.Result status = run(rs, stateDir, new RsStatusCommand());
        assertEquals(1, status.exitCode(), "a record planted there is not trusted either");
        assertTrue(status.err().contains(why), status.err());
        assertEquals("precious\n", Files.readString(victim));
    }

    @Test
    void aStateDirectoryOthersCanWriteOrOwnIsRefusedAndPlantedLinksAreNotFollowed() throws IOException {
        Path open = temporaryDirectory("jipvs-open");
        String cookie = Long.toUnsignedString(Topology.in(rs, NetworkNamespace::cookie));
        // Every name jipvs writes or has written, each a link to the file to protect.
        for (String name : List.of("rs-net-" + inode(rs) + ".state", "rs-net-" + inode(rs) + ".state.tmp",
                "rs-" + cookie + ".state", "helpers-" + cookie + ".lock")) {
            Files.createSymbolicLink(open.resolve(name), victim);
        }
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertRefused(open, "is writable by others (rwxrwxrwx)");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwx---"));
        assertRefused(open, "is writable by its group (rwxrwx---)");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(open, "unix:uid", 65534);
        assertRefused(open, "is owned by uid 65534, not root");

        // Root's own directory with a link planted at the state file's name: refused, not followed.
        Files.createSymbolicLink(dir.resolve("rs-" + cookie + ".state"), victim);
        Commands.Result r = run(rs, dir, new RsSetupCommand(), "--vip", "10.0.0.100");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertEquals("rs-setup: " + dir.resolve("rs-" + cookie + ".state") + " is a symbolic link; refusing it"
                + " (remove it) (nothing was changed)\n", r.err());
        assertFalse(addrs(rs).contains("10.0.0.100"), addrs(rs));
        assertEquals("precious\n", Files.readString(victim));
    }

    @Test
    void aStateDirectoryThatIsASymbolicLinkIsRefused() throws IOException {
        Path link = temporaryDirectory("jipvs-link").resolve("state");
        Files.createSymbolicLink(link, dir);
        assertRefused(link, "is a symbolic link");
        try (Stream<Path> written = Files.list(dir)) {
            assertEquals(0, written.count(), "nothing written through the link");
        }
    }

    /**
     * Two rs-setup runs at once, for different VIPs in one namespace, one in this JVM and one in
     * another process (a POSIX lock belongs to a process: only two processes prove the file lock).
     * Each must plan from what the other recorded and did, or a VIP record is lost, or arp_ignore
     * 1 (the other's change) is recorded as the original and teardown never puts 0 back.
     */
    @Test
    void concurrentSetupsLoseNoRecordAndRecordTheTrueOriginal() throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments()); // the lab's JIT flags
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SetupProcess.class.getName()));
        Process other = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (PrintWriter toOther = new PrintWriter(other.getOutputStream(), true, StandardCharsets.UTF_8);
             BufferedReader fromOther = new BufferedReader(new InputStreamReader(other.getInputStream(),
                     StandardCharsets.UTF_8))) {
            assertEquals("ready", fromOther.readLine(), "the other process started");
            for (int round = 1; round <= 20; round++) {
                toOther.println(String.join("\t", Commands.args(rs, dir.toString(), "--vip", "10.0.0.1")));
                Commands.Result mine = run(rs, dir, new RsSetupCommand(), "--vip", "10.0.0.2");
                assertEquals("0", fromOther.readLine(), "round " + round + ": the other rs-setup");
                assertEquals(0, mine.exitCode(), "round " + round + ": " + mine.out() + mine.err());

                Commands.Result status = run(rs, dir, new RsStatusCommand()).ok();
                String lo = addrs(rs);
                for (String vip : List.of("10.0.0.1", "10.0.0.2")) {
                    assertTrue(status.out().contains("VIP " + vip + " (dr on lo, set up by jipvs): ready"),
                            "round " + round + ": " + status.out());
                    assertTrue(lo.contains("inet " + vip + "/32 scope host lo"), lo);
                }
                run(rs, dir, new RsTeardownCommand(), "--all").ok();
                for (String key : List.of("all/arp_ignore", "all/arp_announce", "lo/arp_ignore", "lo/arp_announce")) {
                    assertEquals("0", sysctl(rs, key), "round " + round + ": " + key + " restored");
                }
                assertFalse(addrs(rs).contains("10.0.0."), addrs(rs));
            }
        } finally {
            other.destroy();
        }
    }

    /**
     * The other process of the test above: runs `rs-setup ARGS` for each line of tab-separated
     * arguments on stdin and answers with its exit code (its output goes to stderr).
     */
    static final class SetupProcess {
        public static void main(String[] args) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("ready");
            System.out.flush();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Commands.Result r = Commands.run(new RsSetupCommand(), line.split("\t"));
                if (r.exitCode() != 0) {
                    System.err.print(r.out() + r.err());
                }
                System.out.println(r.exitCode());
                System.out.flush();
            }
        }
    }

    /**
     * The kernel gives a deleted namespace's inode number to the next one; its cookie it never
     * gives again. A namespace that happens to reuse the number must start with no record.
     */
    @Test
    void aNamespaceReusingADeletedOnesInodeInheritsNothing() {
        run(rs, dir, new RsSetupCommand(), "--vip", "10.0.0.100").ok();
        long inode = inode(rs);
        topology.delete(rs);
        // Namespaces (and /proc/net entries) draw their inode numbers from one pool, lowest free
        // first, and a deleted network namespace gives its number back only after an asynchronous
        // clean-up. A new UTS namespace takes exactly one number: probe with one until the deleted
        // namespace's number is the lowest free, holding any lower one that came free meanwhile,
        // then create the network namespace, which takes that number first.
        String again = null;
        List<Process> holders = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (again == null && System.nanoTime() < deadline) {
                long lowest = lowestFreeInode();
                if (lowest < inode) {
                    holders.add(holdInode());
                } else if (lowest == inode) {
                    String candidate = topology.namespace("re" + holders.size());
                    if (inode(candidate) == inode) {
                        again = candidate;
                    }
                } else {
                    pause(100); // not given back yet
                }
            }
        } finally {
            holders.forEach(Process::destroy);
        }
        assertNotNull(again, "no new namespace reused inode " + inode + " within 120 s");

        Commands.Result status = run(again, dir, new RsStatusCommand());
        assertEquals("no VIP set up by jipvs here; rs-status --vip VIP checks one\n", status.out(), status.err());
        assertEquals(0, status.exitCode());
        Commands.Result setup = run(again, dir, new RsSetupCommand(), "--vip", "10.0.0.100").ok();
        assertTrue(setup.out().contains("  add address 10.0.0.100/32 dev lo scope host\n"), setup.out());
        assertTrue(addrs(again).contains("inet 10.0.0.100/32 scope host lo"), addrs(again));
        run(again, dir, new RsTeardownCommand(), "--all").ok();
        assertEquals("0", sysctl(again, "all/arp_ignore"));
    }

    @Test
    void aVipRemovedBehindJipvsBackIsReportedAndAddedAgain() {
        run(rs, dir, new RsSetupCommand(), "--vip", "10.0.0.100").ok();
        Exec.run("ip", "-n", rs, "addr", "del", "10.0.0.100/32", "dev", "lo").orThrow();

        Commands.Result status = run(rs, dir, new RsStatusCommand());
        assertEquals(1, status.exitCode());
        assertTrue(status.out().contains("VIP 10.0.0.100 (dr on lo, set up by jipvs): NOT READY\n"
                + "  MISSING  VIP 10.0.0.100 on lo\n"), status.out());

        Commands.Result setup = run(rs, dir, new RsSetupCommand(), "--vip", "10.0.0.100").ok();
        assertTrue(setup.out().contains("note: VIP 10.0.0.100 was set up before but is missing from lo: adding it"
                + " again\n"), setup.out());
        assertTrue(setup.out().contains("  add address 10.0.0.100/32 dev lo scope host\n"), setup.out());
        assertTrue(addrs(rs).contains("inet 10.0.0.100/32 scope host lo"), addrs(rs));
        assertEquals(0, run(rs, dir, new RsStatusCommand()).exitCode());

        run(rs, dir, new RsTeardownCommand(), "--all").ok();
        assertFalse(addrs(rs).contains("10.0.0.100"), addrs(rs));
    }
}

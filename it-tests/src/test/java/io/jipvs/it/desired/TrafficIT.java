package io.jipvs.it.desired;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.it.lab.Build;
import io.jipvs.it.lab.Exec;
import io.jipvs.netlink.NetworkNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * apply with real TCP connections through a NAT service: client (10.1.0.10) → director (VIP
 * 10.1.0.100) → one real-server namespace holding 10.2.0.11 and 10.2.0.12, where an echo server
 * answers on port 80. Sockets are opened inside the namespaces by this JVM (a socket keeps the
 * namespace it was made in), so every byte crosses IPVS.
 */
class TrafficIT {
    static final String VIP = "10.1.0.100";
    /** Each test's service port (see {@link #clear()}). */
    static final int EDIT = 8001;
    static final int DRAIN = 8002;
    static final int NO_WAIT = 8003;
    static final String PREFIX = "jipvs-tr-" + ProcessHandle.current().pid();
    static final String CLIENT = PREFIX + "-cl";
    static final String DIRECTOR = PREFIX + "-lb";
    static final String SERVERS = PREFIX + "-rs";
    static ServerSocket echo;

    @BeforeAll
    static void topology() throws Exception {
        String script = String.join("\n",
                "set -e",
                "for n in " + CLIENT + " " + DIRECTOR + " " + SERVERS + "; do ip netns add $n; ip -n $n link set lo up; done",
                "ip link add cl0 netns " + CLIENT + " type veth peer name lb0 netns " + DIRECTOR,
                "ip link add lb1 netns " + DIRECTOR + " type veth peer name rs0 netns " + SERVERS,
                "ip -n " + CLIENT + " addr add 10.1.0.10/24 dev cl0",
                "ip -n " + DIRECTOR + " addr add 10.1.0.1/24 dev lb0",
                "ip -n " + DIRECTOR + " addr add " + VIP + "/32 dev lb0",
                "ip -n " + DIRECTOR + " addr add 10.2.0.1/24 dev lb1",
                "ip -n " + SERVERS + " addr add 10.2.0.11/24 dev rs0",
                "ip -n " + SERVERS + " addr add 10.2.0.12/24 dev rs0",
                "for l in " + CLIENT + ":cl0 " + DIRECTOR + ":lb0 " + DIRECTOR + ":lb1 " + SERVERS + ":rs0; do"
                        + " ip -n ${l%%:*} link set ${l#*:} up; done",
                "ip -n " + CLIENT + " route add default via 10.1.0.1",
                "ip -n " + SERVERS + " route add default via 10.2.0.1",
                "ip netns exec " + DIRECTOR + " sysctl -qw net.ipv4.ip_forward=1");
        Exec.run("sh", "-c", script).orThrow();
        echo = NetworkNamespace.callIn(Path.of("/run/netns", SERVERS), () -> new ServerSocket(80));
        Thread server = new Thread(TrafficIT::serve, "echo");
        server.setDaemon(true);
        server.start();
    }

    @AfterAll
    static void teardown() throws IOException {
        echo.close();
        for (String n : List.of(CLIENT, DIRECTOR, SERVERS)) {
            Exec.run("ip", "netns", "del", n);
        }
    }

    /** Echoes every byte back, one thread per connection, until the connection ends. */
    private static void serve() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                Thread t = new Thread(() -> {
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        for (int b; (b = in.read()) >= 0; ) {
                            out.write(b);
                            out.flush();
                        }
                    } catch (IOException ignored) {
                        // The client went away: nothing to echo.
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    static Socket connect(int port) throws Exception {
        return NetworkNamespace.callIn(Path.of("/run/netns", CLIENT), () -> {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(VIP, port), 5000);
            s.setSoTimeout(5000);
            return s;
        });
    }

    static void roundTrip(Socket s, char c) throws IOException {
        s.getOutputStream().write(c);
        s.getOutputStream().flush();
        assertEquals(c, s.getInputStream().read(), "the echo through the VIP");
    }

    /** One NAT service on PORT; its real servers (YAML flow maps) listen on the echo server's port 80. */
    static String file(int port, String scheduler, String drain, String... realServers) {
        StringBuilder b = new StringBuilder("services:\n  - protocol: tcp\n    address: " + VIP + "\n    port: " + port + "\n"
                + "    scheduler: " + scheduler + "\n    forwarding: nat\n    drainTimeout: " + drain + "\n    realServers:\n");
        for (String r : realServers) {
            b.append("      - ").append(r.replace("{ ", "{ port: 80, ")).append('\n');
        }
        return b.toString();
    }

    static Exec.Result apply(String yaml) {
        return Exec.run("sh", "-c", "printf '%s' \"$1\" | ip netns exec \"$0\" env JIPVS_DAEMON=off \"$2\" apply -f -",
                DIRECTOR, yaml, Build.launcher());
    }

    /**
     * Empties the table between tests. The connections a test leaves behind outlive it (TIME_WAIT
     * is 2 minutes) and the kernel keeps their real servers in its trash, handing them back, with
     * those connections counted, to a new service of the same address and port: so every test has
     * a port of its own.
     */
    static void clear() {
        Exec.run("ip", "netns", "exec", DIRECTOR, "ipvsadm", "-C").orThrow();
    }

    static String list() {
        return Exec.run("ip", "netns", "exec", DIRECTOR, "ipvsadm", "-Ln", "--stats").orThrow().stdout();
    }

    static String weights() {
        return Exec.run("ip", "netns", "exec", DIRECTOR, "ipvsadm", "-Ln").orThrow().stdout();
    }

    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("gave up waiting for " + what + "\n" + weights());
            }
            Thread.sleep(100);
        }
    }

    @Test
    void anEditKeepsALiveConnectionAndTheCounters() throws Exception {
        assertEquals(0, apply(file(EDIT, "rr", "30s", "{ address: 10.2.0.11, weight: 1 }")).exitCode());
        try (Socket s = connect(EDIT)) {
            roundTrip(s, 'a');
            // The kernel's counters are summed by its estimator, every 2 s.
            await("the connection counted", Duration.ofSeconds(10), () -> connections(list()).equals("1"));
            String before = list();
            Exec.Result edit = apply(file(EDIT, "wrr", "30s", "{ address: 10.2.0.11, weight: 5 }"));
            assertEquals(0, edit.exitCode(), edit.toString());
            assertEquals("~ TCP 10.1.0.100:8001 scheduler rr → wrr\n~ TCP 10.1.0.100:8001 -> 10.2.0.11:80 weight 1 → 5\n",
                    edit.stdout(), "edits in place, nothing deleted or added");
            roundTrip(s, 'b');
            // A deleted and re-added service would start again from 0, and this connection, made
            // before, would never count in it; in place, its packets keep counting.
            await("the new packets counted", Duration.ofSeconds(10), () -> packets(list()) > packets(before));
            String after = list();
            assertEquals("1", connections(after), "the service's connection counter survives:\n" + before + after);
            assertTrue(Exec.run("ip", "netns", "exec", DIRECTOR, "ipvsadm", "-Lnc").orThrow().stdout()
                    .contains("ESTABLISHED"), "the connection entry survives");
        }
        clear();
    }

    /** The Conns column of the service line of ipvsadm -Ln --stats. */
    private static String connections(String stats) {
        return serviceLine(stats)[2];
    }

    /** The InPkts column of the service line. */
    private static long packets(String stats) {
        return Long.parseLong(serviceLine(stats)[3]);
    }

    private static String[] serviceLine(String stats) {
        for (String line : stats.split("\n")) {
            if (line.startsWith("TCP  " + VIP + ":" + EDIT)) {
                return line.trim().split("\\s+");
            }
        }
        throw new AssertionError("no service line in\n" + stats);
    }

    @Test
    void aLeavingRealServerDrainsUntilItsConnectionEndsThenGoes() throws Exception {
        assertEquals(0, apply(file(DRAIN, "rr", "600s", "{ address: 10.2.0.12 }")).exitCode());
        Socket s = connect(DRAIN);
        roundTrip(s, 'a');
        Path out = Files.createTempFile("apply", ".out");
        Process applying = new ProcessBuilder("sh", "-c",
                "printf '%s' \"$1\" | ip netns exec \"$0\" env JIPVS_DAEMON=off \"$2\" apply -f -", DIRECTOR,
                file(DRAIN, "rr", "600s", "{ address: 10.2.0.11 }"), Build.launcher())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            await("10.2.0.12 at weight 0 beside 10.2.0.11", Duration.ofSeconds(60),
                    () -> weights().contains("-> 10.2.0.12:80") && weights().matches("(?s).*10\\.2\\.0\\.12:80\\s+Masq\\s+0\\s.*")
                            && weights().contains("-> 10.2.0.11:80"));
            roundTrip(s, 'b');
            assertTrue(applying.isAlive(), "apply waits for the drain");
            s.setSoLinger(true, 0); // a reset: the kernel keeps a closed entry 10 s, not TIME_WAIT's 2 min
            s.close();
            Instant closed = Instant.now();
            // The kernel forgets the closed entry after its CLOSE timeout; apply sees the count
            // reach 0 and deletes the real server, long before the 10-minute deadline.
            Thread.sleep(2000);
            System.out.println("drain: 2 s after the reset:\n"
                    + Exec.run("ip", "netns", "exec", DIRECTOR, "ipvsadm", "-Lnc").stdout());
            assertTrue(applying.waitFor(300, java.util.concurrent.TimeUnit.SECONDS), "apply ends once the drain does");
            System.out.printf("drain: the real server went %d s after its last connection was reset%n",
                    Duration.between(closed, Instant.now()).toSeconds());
            String printed = Files.readString(out);
            assertEquals(0, applying.exitValue(), printed);
            assertTrue(printed.contains("drain TCP 10.1.0.100:8002 -> 10.2.0.12:80 weight 1 → 0, deleted when its connections end or in 600 s"), printed);
            assertTrue(printed.contains("- TCP 10.1.0.100:8002 -> 10.2.0.12:80"), printed);
            assertFalse(weights().contains("10.2.0.12"), weights());
        } finally {
            applying.destroyForcibly();
            Files.deleteIfExists(out);
        }
        clear();
    }

    @Test
    void noWaitLeavesTheDrainToTheNextApplyAndTheTimeoutEndsIt() throws Exception {
        assertEquals(0, apply(file(NO_WAIT, "rr", "2s", "{ address: 10.2.0.12 }")).exitCode());
        try (Socket s = connect(NO_WAIT)) {
            roundTrip(s, 'a');
            String moved = file(NO_WAIT, "rr", "2s", "{ address: 10.2.0.11 }");
            Exec.Result noWait = Exec.run("sh", "-c",
                    "printf '%s' \"$1\" | ip netns exec \"$0\" env JIPVS_DAEMON=off \"$2\" apply --no-wait -f -",
                    DIRECTOR, moved, Build.launcher());
            assertEquals(0, noWait.exitCode(), noWait.toString());
            assertTrue(noWait.stdout().contains("not waiting"), noWait.stdout());
            assertTrue(weights().contains("10.2.0.12"), "still there, at weight 0: " + weights());
            // The connection stays open; the drain's 2 s deadline passes and the next apply deletes it.
            Thread.sleep(2100);
            Exec.Result next = apply(moved);
            assertEquals(0, next.exitCode(), next.toString());
            assertTrue(next.stdout().contains("- TCP 10.1.0.100:8003 -> 10.2.0.12:80"), next.stdout());
            assertFalse(weights().contains("10.2.0.12"), weights());
        }
        clear();
    }
}

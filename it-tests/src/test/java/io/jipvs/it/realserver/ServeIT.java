package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.control.config.ConfigFormat;
import io.jipvs.control.config.ConfigReader;
import io.jipvs.control.config.ConfigWriter;
import io.jipvs.control.config.keepalived.KeepalivedReader;
import io.jipvs.control.desired.Supervised;
import io.jipvs.control.serve.Event;
import io.jipvs.control.serve.Supervisor;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.ipvs.IpvsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * jipvs serve's engine on the real kernel with real traffic: a client sends HTTP through a NAT
 * VIP (client 10.1.0.10, director 10.1.0.1 holding 10.1.0.100, real servers 10.2.0.11/.12 and a
 * sorry server 10.2.0.13 behind it) while real servers' HTTP servers stop and start; the kernel's
 * table, read through netlink, and the answers the client gets are the oracle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeIT {
    static final String VIP = "10.1.0.100";
    /** Checks every 300 ms, down after 2 failures, up after 2 passes. */
    static final String CHECK = "{ type: http, path: /, interval: 300ms, timeout: 300ms, fall: 2, rise: 2,"
            + " delayBeforeRetry: 150ms, warmup: 0 }";
    /** What the issue allows between a server's death and its removal: interval x fall + timeout. */
    static final Duration DETECTION = Duration.ofMillis(300 * 2 + 300);

    private Topology topology;
    private String client;
    private String director;
    private final String[] rs = new String[4];
    private final Http.Responder[] http = new Http.Responder[4];
    private IpvsClient ipvs;
    private Path stateDir;
    private Supervisor supervisor;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final ServiceKey web = ServiceKey.of(Protocol.TCP, addr(VIP), 80);

    @BeforeAll
    void build() throws IOException {
        topology = new Topology("srv");
        client = topology.namespace("cl");
        director = topology.namespace("lb");
        String sw = topology.namespace("sw");
        topology.veth(client, "eth0", director, "eth0");
        topology.veth(director, "eth1", sw, "p-lb");
        topology.address(client, "eth0", "10.1.0.10/24");
        topology.defaultRoute(client, "10.1.0.1");
        topology.address(director, "eth0", "10.1.0.1/24");
        topology.address(director, "eth0", VIP + "/32");
        topology.address(director, "eth1", "10.2.0.1/24");
        for (int i = 1; i <= 3; i++) {
            rs[i] = topology.namespace("rs" + i);
            topology.veth(rs[i], "eth0", sw, "p-rs" + i);
            topology.address(rs[i], "eth0", "10.2.0.1" + i + "/24");
            topology.defaultRoute(rs[i], "10.2.0.1");
        }
        topology.bridge(sw, "br0", "p-lb", "p-rs1", "p-rs2", "p-rs3");
        Topology.in(director, () -> {
            new io.jipvs.netlink.sysctl.Sysctl().write("net/ipv4/ip_forward", 1);
            return null;
        });
        ipvs = IpvsClient.open(Topology.path(director));
        for (int i = 1; i <= 3; i++) {
            http[i] = new Http.Responder(rs[i], "rs" + i);
        }
    }

    @AfterAll
    void tearDown() {
        for (Http.Responder r : http) {
            if (r != null) {
                r.close();
            }
        }
        if (ipvs != null) {
            ipvs.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @BeforeEach
    void fresh() throws IOException {
        ipvs.flush();
        stateDir = Files.createTempDirectory("jipvs-serve");
        events.clear();
        for (int i = 1; i <= 3; i++) {
            if (http[i] == null) {
                http[i] = new Http.Responder(rs[i], "rs" + i);
            }
        }
    }

    @AfterEach
    void stopServe() {
        if (supervisor != null) {
            supervisor.stop(false);
            supervisor = null;
        }
    }

    // ------------------------------------------------------------------ the tests

    @Test
    void aStoppedServerIsTakenOutWithinIntervalTimesFallPlusTimeoutAndComesBack() throws Exception {
        serve(file(CHECK, "", "- { address: 10.2.0.11 }", "- { address: 10.2.0.12 }"));
        await("both real servers in", () -> weights().size() == 2);
        await("both checked up", () -> send(4).keySet().size() == 2);

        stop(1);
        long died = System.nanoTime();
        await("rs1 out of the table", () -> !weights().containsKey("10.2.0.11"));
        Duration took = Duration.ofNanos(System.nanoTime() - died);
        assertTrue(took.compareTo(DETECTION.plusMillis(400)) <= 0, "rs1 left after " + took.toMillis() + " ms");
        assertEquals(Map.of("rs2", 20), send(20), "after the window no request fails, and rs2 answers all");
        assertTrue(has(Event.Kind.DOWN, "10.2.0.11"), events.toString());

        start(1);
        await("rs1 back in", () -> weights().containsKey("10.2.0.11"));
        assertEquals(2, send(10).size(), "both answer again");
        assertTrue(has(Event.Kind.UP, "10.2.0.11"), events.toString());
    }

    @Test
    void inhibitOnFailureKeepsItAtWeightZeroAndSlowStartRampsItBack() throws Exception {
        serve(file(CHECK, "", "- { address: 10.2.0.11, weight: 8, inhibitOnFailure: true, slowStart: 3s }",
                "- { address: 10.2.0.12, weight: 8 }"));
        await("both in at 8", () -> Integer.valueOf(8).equals(weights().get("10.2.0.11")));
        stop(1);
        await("rs1 at weight 0", () -> Integer.valueOf(0).equals(weights().get("10.2.0.11")));
        assertEquals(Map.of("rs2", 10), send(10));
        start(1);
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        await("rs1 back at 8", () -> {
            Integer w = weights().get("10.2.0.11");
            seen.add(w);
            return Integer.valueOf(8).equals(w);
        });
        assertTrue(seen.stream().anyMatch(w -> w > 0 && w < 8), "weights seen on the way up: " + seen);
    }

    @Test
    void whenEveryServerIsDownTheSorryServerAnswersUntilQuorumIsBack() throws Exception {
        Path hooks = stateDir.resolve("hooks.log");
        String hook = "'echo $JIPVS_EVENT $JIPVS_SERVICE $JIPVS_REAL_SERVER >> \"" + hooks + "\"'";
        serve(file(CHECK, "    sorryServer: { address: 10.2.0.13 }\n    quorumUp: " + hook + "\n    quorumDown: " + hook
                + "\n", "- { address: 10.2.0.11, notifyDown: " + hook + ", notifyUp: " + hook + " }",
                "- { address: 10.2.0.12 }"));
        await("both in", () -> weights().size() == 2);
        stop(1);
        stop(2);
        await("only the sorry server", () -> weights().keySet().equals(java.util.Set.of("10.2.0.13")));
        assertEquals(Map.of("rs3", 5), send(5));
        assertTrue(has(Event.Kind.QUORUM_LOST, null), events.toString());
        start(2);
        await("rs2 back, sorry server out", () -> weights().keySet().equals(java.util.Set.of("10.2.0.12")));
        assertEquals(Map.of("rs2", 5), send(5));
        assertTrue(has(Event.Kind.QUORUM_GAINED, null), events.toString());
        start(1);
        await("the hooks ran, in order", () -> lines(hooks).size() == 4);
        assertEquals(List.of("down web 10.2.0.11:80", "quorum-lost web", "quorum-gained web", "up web 10.2.0.11:80"),
                lines(hooks).stream().map(String::strip).toList());
    }

    @Test
    void theDepoolThresholdKeepsTheLastFailuresIn() throws Exception {
        serve(file(CHECK, "    depoolThreshold: 0.5\n", "- { address: 10.2.0.11 }", "- { address: 10.2.0.12 }"));
        await("both in", () -> weights().size() == 2);
        stop(1);
        await("rs1 out", () -> !weights().containsKey("10.2.0.11"));
        stop(2);
        await("rs2 reported held", () -> has(Event.Kind.HELD, "10.2.0.12"));
        assertEquals(java.util.Set.of("10.2.0.12"), weights().keySet(), "half at most is taken out");
        start(1);
        start(2);
        await("both back", () -> weights().size() == 2);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anExecCheckSetsADynamicWeight() throws Exception {
        serve(file("{ type: exec, command: 'exit 7', dynamic: true, interval: 300ms, warmup: 0 }", "",
                "- { address: 10.2.0.11, weight: 1 }"));
        await("weight 7 - 2", () -> Integer.valueOf(5).equals(weights().get("10.2.0.11")));
    }

    @Test
    void driftIsRepairedWithinTheRepairInterval() throws Exception {
        serve(file(CHECK, "", "- { address: 10.2.0.11 }", "- { address: 10.2.0.12 }"));
        await("both in", () -> weights().size() == 2);
        ipvs.deleteDestination(web, addr("10.2.0.12"), 80); // behind its back, as ipvsadm -d would
        long at = System.nanoTime();
        await("rs2 put back", () -> weights().containsKey("10.2.0.12"));
        assertTrue(Duration.ofNanos(System.nanoTime() - at).compareTo(Duration.ofSeconds(3)) < 0);
        assertTrue(has(Event.Kind.REPAIR, null), events.toString());
    }

    @Test
    void aReloadAddsAServiceWithoutTouchingLiveConnections() throws Exception {
        // A tcp check: the test responder serves one connection at a time, and the live connection
        // holds it, so an http check would (rightly) find rs1 unresponsive and take it out.
        String one = file("{ type: tcp, interval: 300ms, timeout: 300ms, warmup: 0 }", "", "- { address: 10.2.0.11 }");
        serve(one);
        await("rs1 in", () -> weights().size() == 1);
        try (Socket live = Topology.in(client, () -> {
            Socket s = SocketChannel.open().socket();
            s.connect(new InetSocketAddress(addr(VIP), 80), 5000);
            return s;
        })) {
            String two = one + "  - name: other\n    protocol: tcp\n    address: " + VIP + "\n    port: 8080\n"
                    + "    forwarding: nat\n    realServers:\n      - { address: 10.2.0.12, port: 80 }\n";
            supervisor.reload(read(two));
            supervisor.settle();
            assertTrue(ipvs.service(ServiceKey.of(Protocol.TCP, addr(VIP), 8080)).isPresent(), "the new service");
            live.setSoTimeout(5000);
            live.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(live.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.endsWith("rs1\n"), "the connection made before the reload still works: " + answer);
        }
        assertTrue(events.stream().noneMatch(e -> e.kind() == Event.Kind.DOWN), events.toString());
    }

    @Test
    void aRestartAfterACrashAdoptsTheTableWithoutAFlap() throws Exception {
        String f = file(CHECK, "", "- { address: 10.2.0.11 }", "- { address: 10.2.0.12 }");
        serve(f);
        await("both in", () -> weights().size() == 2);
        stop(1);
        await("rs1 out", () -> !weights().containsKey("10.2.0.11"));
        supervisor.stop(false); // what a kill -9 leaves: the table and the ownership record as they were
        supervisor = null;
        assertEquals(java.util.Set.of("10.2.0.12"), weights().keySet(), "the table is left as it was");
        events.clear();
        serve(f);
        Thread.sleep(1500); // five check rounds: long enough for any flap to show
        assertEquals(java.util.Set.of("10.2.0.12"), weights().keySet());
        assertTrue(events.stream().noneMatch(e -> e.kind() == Event.Kind.CHANGE || e.kind() == Event.Kind.DOWN
                || e.kind() == Event.Kind.UP), "no flap: " + events);
        start(1);
        await("rs1 back", () -> weights().containsKey("10.2.0.11"));
    }

    @Test
    void aKeepalivedConfServesAsItsConvertedYaml() throws Exception {
        String conf = """
                virtual_server 10.1.0.100 80 {
                    protocol TCP
                    lb_algo rr
                    lb_kind NAT
                    delay_loop 0.3
                    connect_timeout 0.3
                    delay_before_retry 0.15
                    warmup 0
                    real_server 10.2.0.11 80 {
                        HTTP_GET {
                            url {
                                path /
                                status_code 200
                            }
                        }
                    }
                    real_server 10.2.0.12 80 {
                        TCP_CHECK {
                        }
                    }
                }
                """;
        KeepalivedReader.Result k = KeepalivedReader.read("keepalived.conf", conf.getBytes(StandardCharsets.UTF_8), null);
        assertEquals(List.of(), k.warnings());
        String yaml = ConfigWriter.write(k.file(), ConfigFormat.YAML);
        assertEquals(k.file(), read(yaml), "the converted YAML is the same state:\n" + yaml);
        serve(k.file());
        await("both in", () -> weights().size() == 2);
        stop(1);
        long died = System.nanoTime();
        await("rs1 out", () -> !weights().containsKey("10.2.0.11"));
        assertTrue(Duration.ofNanos(System.nanoTime() - died).compareTo(DETECTION.plusMillis(400)) <= 0);
        assertEquals(Map.of("rs2", 10), send(10));
        start(1);
        await("rs1 back", () -> weights().containsKey("10.2.0.11"));
    }

    @Test
    void aSecondServeInTheSameNamespaceIsRefused() {
        java.nio.channels.FileChannel first = Topology.in(director,
                () -> io.jipvs.control.host.StateStore.claim(stateDir, "serve"));
        assertNotNull(first);
        try {
            // Another process holds it; within one JVM a second claim is refused the same way.
            assertEquals(null, Topology.in(director, () -> io.jipvs.control.host.StateStore.claim(stateDir, "serve")));
            assertNotNull(Topology.in(client, () -> io.jipvs.control.host.StateStore.claim(stateDir, "serve")),
                    "another namespace has its own");
        } finally {
            try {
                first.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private String file(String check, String extra, String... realServers) {
        StringBuilder b = new StringBuilder("repairInterval: 2s\nservices:\n  - name: web\n    protocol: tcp\n"
                + "    address: " + VIP + "\n    port: 80\n    forwarding: nat\n    scheduler: rr\n    check: " + check
                + "\n" + extra + "    realServers:\n");
        for (String r : realServers) {
            b.append("      ").append(r).append('\n');
        }
        return b.toString();
    }

    private static Supervised read(String yaml) {
        return ConfigReader.readSupervised("test.yaml", yaml.getBytes(StandardCharsets.UTF_8), ConfigFormat.YAML);
    }

    private void serve(String yaml) throws Exception {
        serve(read(yaml));
    }

    private void serve(Supervised file) throws Exception {
        supervisor = new Supervisor(() -> IpvsClient.open(), stateDir,
                NetworkNamespace.threadFactory(Topology.path(director), "serve-it"), 2, events::add);
        supervisor.start(file);
    }

    private void stop(int n) {
        http[n].close();
        http[n] = null;
    }

    private void start(int n) {
        http[n] = new Http.Responder(rs[n], "rs" + n);
    }

    /** The web service's real servers and weights, as the kernel has them. */
    private Map<String, Integer> weights() {
        Map<String, Integer> out = new TreeMap<>();
        if (ipvs.service(web).isEmpty()) {
            return out;
        }
        for (DestinationEntry d : ipvs.destinations(web)) {
            out.put(d.destination().address().getHostAddress(), d.destination().weight());
        }
        return out;
    }

    private Map<String, Integer> send(int n) {
        Map<String, Integer> answers = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            answers.merge(Http.get(client, addr(VIP)), 1, Integer::sum);
        }
        return answers;
    }

    private boolean has(Event.Kind kind, String realServer) {
        return events.stream().anyMatch(e -> e.kind() == kind
                && (realServer == null || (e.member() != null && e.member().realServer().toString().startsWith(realServer + ":"))));
    }

    /** Polls for up to 10 s. */
    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(10), condition, () -> "; events: " + events);
    }

    static InetAddress addr(String literal) {
        return TrafficTest.addr(literal);
    }

}

package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.it.lab.Build;
import io.jipvs.it.lab.Exec;
import io.jipvs.model.Addresses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Active/active as docs/scale-out.md builds it, with the real daemons from Debian: a router
 * namespace runs BIRD 2 peering over eBGP with ExaBGP on two directors, each ExaBGP fed by
 * {@code jipvs announce --exabgp} following that director's jipvs serve. The router's kernel route
 * to the VIP is the oracle for what is announced; HTTP through the VIP is the oracle for traffic.
 * Real servers are shared (DR, one segment); a director whose checks cannot reach them loses its
 * quorum and withdraws, the other carries the traffic, and healing brings the second next hop
 * back. With mh, a client address and port reaches the same real server through either director.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BgpEcmpIT {
    static final String VIP = "10.8.0.100";
    static final String A = "10.8.1.2";
    static final String B = "10.8.1.3";
    static final String SERVE = """
            repairInterval: 1h
            services:
              - name: web
                protocol: tcp
                address: 10.8.0.100
                port: 80
                forwarding: dr
                scheduler: mh
                schedulerFlags: [mh-port, mh-fallback]
                check: { type: tcp, interval: 300ms, timeout: 300ms, fall: 2, rise: 2, warmup: 0 }
                # weight 0 rather than deletion: mh's table depends on the real servers' order in
                # the kernel, which a deletion and a re-add would change on one director only
                realServers:
                  - { address: 10.8.1.11, inhibitOnFailure: true }
                  - { address: 10.8.1.12, inhibitOnFailure: true }
                  - { address: 10.8.1.13, inhibitOnFailure: true }
            sysctls: { sloppy_tcp: 1 }
            """;

    private Topology topology;
    private String sw;
    private String router;
    private String client;
    private String probe;
    private final Map<String, String> directors = new java.util.LinkedHashMap<>();
    private final List<Http.Responder> servers = new ArrayList<>();
    private final Map<String, Process> daemons = new ConcurrentHashMap<>();
    private Path dir;

    @BeforeAll
    void build() throws Exception {
        topology = new Topology("bgp");
        // ExaBGP splits its run line on spaces: its files live in a path without one.
        dir = Files.createTempDirectory("jipvs-bgp");
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        sw = topology.newSwitch("sw");
        router = attach("r", "10.8.1.1");
        client = topology.namespace("c");
        topology.veth(router, "eth1", client, "eth0");
        topology.address(router, "eth1", "10.8.2.1/24");
        topology.address(client, "eth0", "10.8.2.2/24");
        topology.defaultRoute(client, "10.8.2.1");
        // The router forwards, and hashes ports too, so that one client's flows spread.
        sysctl(router, "net.ipv4.ip_forward=1", "net.ipv4.fib_multipath_hash_policy=1");
        for (int i = 1; i <= 3; i++) {
            String rs = attach("rs" + i, "10.8.1.1" + i);
            holdVip(rs);
            topology.defaultRoute(rs, "10.8.1.1");
            servers.add(new Http.Responder(rs, "rs" + i));
        }
        probe = attach("p", "10.8.1.50");
        Files.writeString(dir.resolve("jipvs.yaml"), SERVE);
        Path announce = dir.resolve("announce");
        Files.writeString(announce, "#!/bin/sh\nexec '" + Build.launcher().replace("'", "'\\''") + "' announce --exabgp\n");
        Files.setPosixFilePermissions(announce, PosixFilePermissions.fromString("rwxr-xr-x"));
        startBird();
        for (String d : List.of("a", "b")) {
            String ns = attach(d, d.equals("a") ? A : B);
            directors.put(d, ns);
            holdVip(ns);
            startServe(d);
            startExabgp(d);
        }
    }

    private void startServe(String d) throws IOException {
        start(d + "-serve", Build.launcher(), "serve", "-f", dir.resolve("jipvs.yaml").toString(), "--netns",
                directors.get(d), "--state-dir", dir.resolve("state").toString(), "--listen", "none");
    }

    @AfterAll
    void tearDown() {
        daemons.values().forEach(Process::destroyForcibly);
        servers.forEach(Http.Responder::close);
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void aDirectorWithoutQuorumWithdrawsAndTheOtherCarriesTheTraffic() throws Exception {
        Await.until("two next hops for the VIP", Duration.ofSeconds(180), () -> nextHops().equals(Set.of(A, B)),
                this::context);
        Set<String> via = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            assertTrue(Http.get(client, addr(VIP)).startsWith("rs"));
        }
        for (String d : directors.values()) {
            if (connections(d).contains(" 10.8.2.2:")) {
                via.add(d);
            }
        }
        assertEquals(2, via.size(), "ECMP spread 20 connections over both directors");

        // Director a cannot reach the real servers any more: its checks fail, its quorum goes.
        String a = directors.get("a");
        Exec.run("ip", "netns", "exec", a, "nft", "add table ip cut; add chain ip cut out { type filter hook output"
                + " priority 0; }; add rule ip cut out ip saddr " + A + " tcp dport 80 drop").orThrow();
        Await.until("a's route withdrawn", Duration.ofSeconds(60), () -> nextHops().equals(Set.of(B)), this::context);
        for (int i = 0; i < 20; i++) {
            assertTrue(Http.get(client, addr(VIP)).startsWith("rs"), "through b alone");
        }

        Exec.run("ip", "netns", "exec", a, "nft", "delete table ip cut").orThrow();
        Await.until("two next hops again", Duration.ofSeconds(60), () -> nextHops().equals(Set.of(A, B)), this::context);

        // Without serve nobody keeps b's table true: announce withdraws, and announces again
        // once a serve runs there again.
        Process serveB = daemons.remove("b-serve");
        serveB.destroy();
        assertTrue(serveB.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "serve stops on SIGTERM");
        Await.until("b's route withdrawn when its serve stopped", Duration.ofSeconds(60),
                () -> nextHops().equals(Set.of(A)), this::context);
        startServe("b");
        Await.until("b announces again with serve back", Duration.ofSeconds(120),
                () -> nextHops().equals(Set.of(A, B)), this::context);
    }

    @Test
    void mhSendsAClientAddressAndPortToTheSameRealServerThroughEitherDirector() throws Exception {
        Await.until("both directors with three real servers of weight 1", Duration.ofSeconds(180),
                () -> directors.values().stream().allMatch(d -> weights(d).equals(List.of("1", "1", "1"))), this::context);
        // Through b in the opposite order: a round-robin scheduler would give the same sequence
        // for the same order; mh gives each port its server whatever came before.
        Map<Integer, String> viaA = new java.util.TreeMap<>();
        Map<Integer, String> viaB = new java.util.TreeMap<>();
        Topology.ip("-n", probe, "route", "replace", VIP + "/32", "via", A);
        for (int port = 41000; port < 41012; port++) {
            viaA.put(port, get(probe, port));
        }
        Topology.ip("-n", probe, "route", "replace", VIP + "/32", "via", B);
        for (int port = 41011; port >= 41000; port--) {
            viaB.put(port, get(probe, port));
        }
        assertEquals(viaA, viaB, "each source port reached the same real server through a and through b");
        assertTrue(new HashSet<>(viaA.values()).size() > 1, "mh-port spreads one client's ports: " + viaA);
    }

    // ------------------------------------------------------------------ scaffolding

    private String attach(String role, String address) {
        return topology.onSwitch(sw, role, address);
    }

    /** The VIP on lo, never answered for in ARP: a DR real server, or a director the router routes to. */
    private void holdVip(String ns) {
        topology.address(ns, "lo", VIP + "/32");
        sysctl(ns, "net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2");
    }

    private static void sysctl(String ns, String... settings) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "sysctl", "-qw"));
        cmd.addAll(List.of(settings));
        Exec.run(cmd).orThrow();
    }

    private void startBird() throws IOException, InterruptedException {
        Path conf = dir.resolve("bird.conf");
        Files.writeString(conf, """
                router id 10.8.1.1;
                protocol device { }
                protocol kernel {
                    ipv4 { export all; };
                    merge paths on;
                }
                template bgp director {
                    local 10.8.1.1 as 65000;
                    ipv4 { import all; export none; };
                    hold time 9;
                    connect retry time 5;
                }
                protocol bgp lvs_a from director { neighbor %s as 65001; }
                protocol bgp lvs_b from director { neighbor %s as 65001; }
                """.formatted(A, B));
        start("bird", "ip", "netns", "exec", router, "bird", "-f", "-c", conf.toString(), "-s",
                dir.resolve("bird.ctl").toString(), "-P", dir.resolve("bird.pid").toString());
        // ExaBGP only connects out: BIRD listens first.
        Await.until("BIRD's control socket", Duration.ofSeconds(30), () -> Files.exists(dir.resolve("bird.ctl")),
                () -> "");
    }

    private void startExabgp(String d) throws IOException {
        String local = d.equals("a") ? A : B;
        Path conf = dir.resolve("exabgp-" + d + ".conf");
        Files.writeString(conf, """
                process jipvs {
                    run %s;
                    encoder text;
                }
                neighbor 10.8.1.1 {
                    router-id %s;
                    local-address %s;
                    local-as 65001;
                    peer-as 65000;
                    api {
                        processes [ jipvs ];
                    }
                }
                """.formatted(dir.resolve("announce"), local, local));
        start(d + "-exabgp", "ip", "netns", "exec", directors.get(d), "env", "exabgp.daemon.user=root",
                "exabgp.daemon.daemonize=false", "exabgp.daemon.pid=" + dir.resolve(d + "-exabgp.pid"),
                "exabgp.log.destination=stdout", "exabgp.api.cli=false", "exabgp", conf.toString());
    }

    private void start(String name, String... command) throws IOException {
        daemons.put(name, new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start());
    }

    /** The gateways of the router's kernel route to the VIP (BIRD's multipath route has several). */
    private Set<String> nextHops() {
        String route = Exec.run("ip", "-n", router, "route", "show", VIP + "/32").stdout();
        Set<String> hops = new HashSet<>();
        for (String w : route.split("via ", -1)) {
            String hop = w.split("\\s+")[0];
            if (hop.startsWith("10.8.1.")) {
                hops.add(hop);
            }
        }
        return hops;
    }

    /** The weights of the real servers in a director's table, in the kernel's order. */
    private static List<String> weights(String ns) {
        return Exec.run("ip", "netns", "exec", ns, "ipvsadm", "-Ln").stdout().lines()
                .filter(l -> l.contains("->") && l.contains("Route")).map(l -> l.trim().split("\\s+")[3]).toList();
    }

    private static String connections(String ns) {
        return Exec.run("ip", "netns", "exec", ns, "ipvsadm", "-Lnc").stdout().lines().skip(2)
                .filter(l -> l.contains(VIP)).reduce("", (x, y) -> x + y + "\n");
    }

    /** GET / from {@code ns} to the VIP from a given source port; returns the answering server's name. */
    private static String get(String ns, int sourcePort) {
        return Topology.in(ns, () -> {
            try (Socket s = SocketChannel.open().socket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(sourcePort));
                s.connect(new InetSocketAddress(addr(VIP), 80), 5000);
                s.setSoTimeout(5000);
                s.getOutputStream().write("GET / HTTP/1.0\r\nHost: vip\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                s.getInputStream().transferTo(all);
                String text = all.toString(StandardCharsets.US_ASCII);
                return text.substring(text.indexOf("\r\n\r\n") + 4).strip();
            }
        });
    }

    private static InetAddress addr(String text) {
        return Addresses.literal(text);
    }

    private String context() {
        StringBuilder b = new StringBuilder("\nrouter: ").append(Exec.run("ip", "-n", router, "route").stdout());
        b.append(Exec.run("birdc", "-s", dir.resolve("bird.ctl").toString(), "show", "protocols").stdout());
        for (String f : List.of("bird.log", "a-serve.log", "a-exabgp.log", "b-serve.log", "b-exabgp.log")) {
            try {
                Path p = dir.resolve(f);
                String text = Files.exists(p) ? Files.readString(p) : "(none)";
                b.append("\n--- ").append(f).append(":\n").append(text.length() > 6000 ? text.substring(text.length() - 6000) : text);
            } catch (IOException e) {
                b.append(e);
            }
        }
        return b.toString();
    }
}

package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.control.config.ConfigFormat;
import io.jipvs.control.config.ConfigReader;
import io.jipvs.control.serve.Supervisor;
import io.jipvs.it.lab.Exec;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.ipvs.IpvsClient;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DR on one L2 segment (a bridge): client 10.0.0.10, director 10.0.0.2 + VIP 10.0.0.100, real
 * servers 10.0.0.11 and .12 prepared with rs-setup (VIP on lo, ARP sysctls).
 */
class DrTrafficIT extends TrafficTest {
    static final String VIP = "10.0.0.100";

    @Override
    protected List<String> build() {
        return sharedSegment(VIP, "dr", "VIP 10.0.0.100 (dr on lo, set up by jipvs): ready");
    }

    @Override
    protected InetAddress vip() {
        return addr(VIP);
    }

    @Override
    protected ForwardingMethod forwarding() {
        return ForwardingMethod.ROUTE;
    }


    /** The real servers hold the VIP too, but only the director may answer ARP for it. */
    @Test
    void onlyTheDirectorAnswersArpForTheVip() {
        service("rr", 1, 1);
        assertEquals(java.util.Map.of("rs1", 1, "rs2", 1), send(2));
        String lbMac = mac(director);
        String neigh = Exec.run("ip", "-n", client, "neigh", "show", VIP).orThrow().stdout();
        assertTrue(neigh.contains("lladdr " + lbMac), "client's entry for the VIP: " + neigh + " director: " + lbMac);
        // arping from the client: every answer comes from the director's MAC.
        Exec.Result arp = Exec.run("ip", "netns", "exec", client, "busybox", "arping", "-I", "eth0", "-c", "2", "-w", "3", VIP);
        assertTrue(arp.stdout().contains("[" + lbMac + "]"), arp.stdout());
        assertEquals(0, arp.stdout().lines().filter(l -> l.contains("reply from") && !l.contains(lbMac)).count(),
                arp.stdout());
    }

    /**
     * jipvs serve over DR with real traffic: a real server whose HTTP server stops is out within
     * interval x fall + timeout (0.9 s here), no request fails after that, and it comes back.
     */
    @Test
    void serveTakesADeadRealServerOutAndBringsItBack() throws Exception {
        Path state = Files.createTempDirectory("jipvs-serve");
        String yaml = "services:\n  - { name: web, protocol: tcp, address: " + VIP + ", port: 80, scheduler: rr,\n"
                + "      check: { type: http, interval: 300ms, timeout: 300ms, fall: 2, rise: 2, delayBeforeRetry: 150ms,"
                + " warmup: 0 },\n      realServers: [ { address: 10.0.0.11 }, { address: 10.0.0.12 } ] }\n";
        Supervisor serve = new Supervisor(IpvsClient::open, state,
                NetworkNamespace.threadFactory(Topology.path(director), "dr-serve"), 1, e -> { });
        ServiceKey web = ServiceKey.of(Protocol.TCP, addr(VIP), 80);
        java.util.function.Supplier<java.util.Set<String>> in = () -> ipvs.service(web).isEmpty() ? java.util.Set.of()
                : ipvs.destinations(web).stream().map(d -> d.destination().address().getHostAddress())
                        .collect(java.util.stream.Collectors.toSet());
        try {
            serve.start(ConfigReader.readSupervised("web.yaml", yaml.getBytes(StandardCharsets.UTF_8), ConfigFormat.YAML));
            Await.until("both in", Duration.ofSeconds(10), () -> in.get().size() == 2, () -> "");
            rs1.close();
            long died = System.nanoTime();
            Await.until("rs1 out", Duration.ofSeconds(10), () -> !in.get().contains("10.0.0.11"), () -> "");
            Duration took = Duration.ofNanos(System.nanoTime() - died);
            assertTrue(took.compareTo(Duration.ofMillis(900 + 400)) <= 0, "out after " + took.toMillis() + " ms");
            assertEquals(java.util.Map.of("rs2", 20), send(20));
            rs1 = new Http.Responder(servers.get(0), "rs1");
            Await.until("rs1 back", Duration.ofSeconds(10), () -> in.get().contains("10.0.0.11"), () -> "");
            assertEquals(2, send(10).size());
        } finally {
            serve.stop(false);
        }
    }

    static String mac(String ns) {
        String link = Exec.run("ip", "-n", ns, "-o", "link", "show", "eth0").orThrow().stdout();
        int at = link.indexOf("link/ether ") + "link/ether ".length();
        return link.substring(at, at + 17);
    }
}

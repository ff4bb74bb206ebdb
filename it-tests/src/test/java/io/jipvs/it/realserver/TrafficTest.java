package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.realserver.RsSetupCommand;
import io.jipvs.cli.realserver.RsStatusCommand;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.Stats;
import io.jipvs.netlink.ipvs.IpvsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real HTTP requests from a client namespace through a VIP on the director namespace to two
 * real-server namespaces, one forwarding method per subclass. Each test makes a fresh virtual
 * service (fresh scheduler state, counters from zero), sends requests one after another and
 * checks who answered, then checks the kernel's counters against what the client's own IP
 * stack says it sent and received.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TrafficTest {
    protected Topology topology;
    protected String client;
    protected String director;
    protected IpvsClient ipvs;
    protected Http.Responder rs1;
    protected Http.Responder rs2;
    /** The real servers' namespaces, as {@link #build} returned them. */
    protected List<String> servers;

    /** Builds the namespaces, prepares the real servers; returns the two RS namespaces. */
    protected abstract List<String> build();

    protected abstract InetAddress vip();

    /** Real server n (1 or 2): by default those of {@link #sharedSegment}. */
    protected InetAddress rip(int n) {
        return addr("10.0.0.1" + n);
    }

    protected abstract ForwardingMethod forwarding();

    /**
     * The DR/TUN topology: client 10.0.0.10, director 10.0.0.2 holding {@code vip}, real servers
     * 10.0.0.11 and .12, all on one bridge; each real server prepared by {@code rs-setup --vip vip
     * --mode mode} and then reported ready by rs-status.
     */
    protected List<String> sharedSegment(String vip, String mode, String readyLine) {
        String sw = topology.namespace("sw");
        client = topology.namespace("cl");
        director = topology.namespace("lb");
        String rs1 = topology.namespace("rs1");
        String rs2 = topology.namespace("rs2");
        topology.veth(client, "eth0", sw, "p-cl");
        topology.veth(director, "eth0", sw, "p-lb");
        topology.veth(rs1, "eth0", sw, "p-rs1");
        topology.veth(rs2, "eth0", sw, "p-rs2");
        topology.bridge(sw, "br0", "p-cl", "p-lb", "p-rs1", "p-rs2");
        topology.address(client, "eth0", "10.0.0.10/24");
        topology.address(director, "eth0", "10.0.0.2/24");
        topology.address(director, "eth0", vip + "/32");
        topology.address(rs1, "eth0", "10.0.0.11/24");
        topology.address(rs2, "eth0", "10.0.0.12/24");
        try {
            String dir = Files.createTempDirectory("jipvs-state").toString();
            for (String rs : List.of(rs1, rs2)) {
                Commands.run(new RsSetupCommand(), Commands.args(rs, dir, "--vip", vip, "--mode", mode)).ok();
                String status = Commands.run(new RsStatusCommand(), Commands.args(rs, dir)).ok().out();
                assertTrue(status.startsWith(readyLine), status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.of(rs1, rs2);
    }

    /** A literal address (no lookup happens). */
    static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    @BeforeAll
    void start() {
        topology = new Topology(getClass().getSimpleName().substring(0, 3).toLowerCase());
        servers = build();
        ipvs = IpvsClient.open(Topology.path(director));
        rs1 = new Http.Responder(servers.get(0), "rs1");
        rs2 = new Http.Responder(servers.get(1), "rs2");
    }

    @AfterAll
    void stop() {
        if (rs1 != null) {
            rs1.close();
        }
        if (rs2 != null) {
            rs2.close();
        }
        if (ipvs != null) {
            ipvs.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @BeforeEach
    void emptyTable() {
        ipvs.flush();
    }

    protected ServiceKey service(String scheduler, int w1, int w2) {
        ServiceKey key = ServiceKey.of(Protocol.TCP, vip(), 80);
        ipvs.addService(Service.builder(key).scheduler(scheduler).build());
        ipvs.addDestination(key, Destination.of(rip(1), 80).withForwarding(forwarding()).withWeight(w1));
        ipvs.addDestination(key, Destination.of(rip(2), 80).withForwarding(forwarding()).withWeight(w2));
        return key;
    }

    /** Sends n requests in sequence; returns answers per server name. */
    protected Map<String, Integer> send(int n) {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            seen.merge(Http.get(client, vip()), 1, Integer::sum);
        }
        System.out.println(getClass().getSimpleName() + ": " + n + " requests answered " + seen);
        return seen;
    }

    @Test
    void roundRobinSplitsTenRequestsFiveFive() throws Exception {
        ServiceKey key = service("rr", 1, 1);
        IpCounters before = IpCounters.read(client);
        int served1 = rs1.served.get();
        Map<String, Integer> seen = send(10);
        assertEquals(Map.of("rs1", 5, "rs2", 5), seen);
        assertEquals(5, rs1.served.get() - served1, "rs1's own count");
        assertCounters(key, 10, IpCounters.read(client).minus(before), Map.of(rip(1), 5L, rip(2), 5L));
    }

    @Test
    void weightedRoundRobinSplitsTwelveRequestsNineThree() throws Exception {
        ServiceKey key = service("wrr", 3, 1);
        IpCounters before = IpCounters.read(client);
        Map<String, Integer> seen = send(12);
        assertEquals(Map.of("rs1", 9, "rs2", 3), seen);
        assertCounters(key, 12, IpCounters.read(client).minus(before), Map.of(rip(1), 9L, rip(2), 3L));
    }

    /**
     * The director counts every packet the client sends to the VIP (in), and only in NAT also
     * every reply (out): in DR and TUN the real servers answer the client directly. IPVS counts
     * IP packet lengths, as the client's IpExt octet counters do. Its counters are refreshed by
     * the estimator every 2 s, so wait for them to settle on the expected values.
     */
    private void assertCounters(ServiceKey key, int requests, IpCounters client, Map<InetAddress, Long> perServer)
            throws InterruptedException {
        boolean nat = forwarding() == ForwardingMethod.MASQ;
        Stats expected = new Stats(requests, client.outRequests(), nat ? client.inReceives() : 0,
                client.outOctets(), nat ? client.inOctets() : 0, 0, 0, 0, 0, 0);
        Stats seen = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            seen = ipvs.service(key).orElseThrow().stats();
            if (counters(seen).equals(counters(expected))) {
                break;
            }
            Thread.sleep(500);
        }
        System.out.println(getClass().getSimpleName() + ": client sent " + client + "; IPVS counted " + seen);
        assertEquals(counters(expected), counters(seen), "conns, inpkts, outpkts, inbytes, outbytes");
        Map<InetAddress, Long> conns = new java.util.HashMap<>();
        for (DestinationEntry d : ipvs.destinations(key)) {
            conns.put(d.destination().address(), d.stats().connections());
        }
        assertEquals(perServer, conns, "connections per real server");
    }

    private static List<Long> counters(Stats s) {
        return List.of(s.connections(), s.inPackets(), s.outPackets(), s.inBytes(), s.outBytes());
    }
}

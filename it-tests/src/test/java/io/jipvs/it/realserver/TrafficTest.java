package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.Stats;
import io.jipvs.netlink.ipvs.IpvsClient;
import java.net.InetAddress;
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
    private Http.Responder rs1;
    private Http.Responder rs2;

    /** Builds the namespaces, prepares the real servers; returns the two RS namespaces. */
    protected abstract List<String> build();

    protected abstract InetAddress vip();

    protected abstract InetAddress rip(int n);

    protected abstract ForwardingMethod forwarding();

    @BeforeAll
    void start() {
        topology = new Topology(getClass().getSimpleName().substring(0, 3).toLowerCase());
        List<String> servers = build();
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

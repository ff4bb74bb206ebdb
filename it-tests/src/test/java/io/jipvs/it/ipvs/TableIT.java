package io.jipvs.it.ipvs;

import static io.jipvs.it.ipvs.OraclePair.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.ipvsadm.IpvsadmErrors;
import io.jipvs.it.lab.Exec;
import io.jipvs.model.Destination;
import io.jipvs.model.IpvsInfo;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.Stats;
import io.jipvs.netlink.ipvs.IpvsClient;
import io.jipvs.netlink.ipvs.IpvsException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Info, counters (zero), flush and the error texts, checked against the real ipvsadm. */
class TableIT {
    @RegisterExtension
    static final OraclePair pair = new OraclePair();

    @AfterEach
    void emptyTables() {
        pair.clear();
    }

    @Test
    void infoMatchesIpvsadmsHeader() {
        IpvsInfo info = pair.jipvs().info();
        assertEquals("1.2.1", info.version());
        String header = pair.listingOfJipvs("-Ln").lines().findFirst().orElseThrow();
        assertEquals("IP Virtual Server version " + info.version() + " (size=" + info.connectionTableSize() + ")",
                header);
    }

    @Test
    void flushRemovesEveryService() throws Exception {
        IpvsClient c = pair.jipvs();
        c.addService(Service.builder(ServiceKey.of(Protocol.TCP, ip("10.7.0.1"), 80)).build());
        c.addService(Service.builder(ServiceKey.of(Protocol.UDP, ip("2001:db8::7"), 53)).build());
        c.addDestination(ServiceKey.of(Protocol.TCP, ip("10.7.0.1"), 80), Destination.of(ip("10.7.1.1"), 80));
        c.flush();
        assertEquals(List.of(), c.services());
        assertEquals("", pair.listingOfJipvs("-Sn"));
    }

    /**
     * Counters need traffic: a local UDP datagram to a VIP on lo is scheduled by IPVS (LOCAL_OUT),
     * which counts the connection and its first packet whatever happens to it next. UDP, because
     * sending returns at once, where a TCP attempt would wait for an answer nobody gives.
     */
    @Test
    void zeroClearsTheCountersOfOneServiceOrAll() throws Exception {
        IpvsClient c = pair.jipvs();
        ServiceKey a = ServiceKey.of(Protocol.UDP, ip("10.8.0.1"), 53);
        ServiceKey b = ServiceKey.of(Protocol.UDP, ip("10.8.0.2"), 53);
        for (ServiceKey k : List.of(a, b)) {
            c.addService(Service.builder(k).scheduler("rr").build());
            c.addDestination(k, Destination.of(ip("10.8.1.1"), 53));
            pair.jipvsNs().run("ip", "addr", "add", k.address().getHostAddress() + "/32", "dev", "lo").orThrow();
            connectOnce(k);
        }
        try {
            // The kernel folds its per-CPU counters into what it reports on the estimator's
            // 2-second tick, so a fresh count shows up only after the next tick.
            for (ServiceKey k : List.of(a, b)) {
                long deadline = System.nanoTime() + 6_000_000_000L;
                while (c.service(k).orElseThrow().stats().connections() < 1 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertTrue(c.service(k).orElseThrow().stats().connections() >= 1,
                        "precondition: the datagram to " + k + " was counted");
            }
            assertStatsAsIpvsadmShowsThem();

            c.zero(a);
            assertEquals(0, c.service(a).orElseThrow().stats().connections());
            assertEquals(0, c.destinations(a).get(0).stats().connections());
            assertTrue(c.service(b).orElseThrow().stats().connections() >= 1, "other service untouched");

            c.zero();
            assertEquals(Stats.ZERO.connections(), c.service(b).orElseThrow().stats().connections());
            assertStatsAsIpvsadmShowsThem();
        } finally {
            for (ServiceKey k : List.of(a, b)) {
                pair.jipvsNs().run("ip", "addr", "del", k.address().getHostAddress() + "/32", "dev", "lo");
            }
        }
    }

    private static void connectOnce(ServiceKey k) {
        pair.jipvsNs().run("bash", "-c",
                "echo ping >/dev/udp/" + k.address().getHostAddress() + "/" + k.port()).orThrow();
    }

    /** jipvs's counters equal ipvsadm's exact statistics for every service. */
    private static void assertStatsAsIpvsadmShowsThem() {
        String listing = pair.listingOfJipvs("-Ln", "--stats", "--exact");
        for (var e : pair.jipvs().services()) {
            String name = e.key().protocol() + "  " + e.key().address().getHostAddress() + ":" + e.key().port();
            String line = listing.lines().filter(l -> l.startsWith(name)).findFirst().orElseThrow();
            String[] f = line.trim().split("\\s+");
            Stats s = e.stats();
            assertEquals(List.of(s.connections(), s.inPackets(), s.outPackets(), s.inBytes(), s.outBytes()),
                    List.of(Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]),
                            Long.parseLong(f[6])), line);
        }
    }

    /** The same failure through jipvs and through ipvsadm gives the same text. */
    private static void assertSameError(Runnable jipvsCall, String... ipvsadmArgs) {
        IpvsException e = assertThrows(IpvsException.class, jipvsCall::run);
        Exec.Result r = pair.ipvsadmNs().ipvsadm(ipvsadmArgs);
        assertEquals(255, r.exitCode(), r.toString());
        assertEquals(r.stderr().trim(), IpvsadmErrors.text(e));
    }

    @Test
    void errorTextsMatchIpvsadm() throws Exception {
        ServiceKey svc = ServiceKey.of(Protocol.TCP, ip("10.9.0.1"), 80);
        Service service = Service.builder(svc).build();
        pair.jipvs().addService(service);
        pair.ipvsadm("-A", "-t", "10.9.0.1:80");
        pair.jipvs().addDestination(svc, Destination.of(ip("10.9.1.1"), 80));
        pair.ipvsadm("-a", "-t", "10.9.0.1:80", "-r", "10.9.1.1");

        assertSameError(() -> pair.jipvs().addService(service), "-A", "-t", "10.9.0.1:80");
        ServiceKey missing = ServiceKey.of(Protocol.TCP, ip("10.9.0.2"), 80);
        assertSameError(() -> pair.jipvs().updateService(Service.builder(missing).build()), "-E", "-t", "10.9.0.2:80");
        assertSameError(() -> pair.jipvs().deleteService(missing), "-D", "-t", "10.9.0.2:80");
        assertSameError(() -> pair.jipvs().zero(missing), "-Z", "-t", "10.9.0.2:80");
        assertSameError(() -> pair.jipvs().addService(Service.builder(missing).scheduler("nosuch").build()),
                "-A", "-t", "10.9.0.2:80", "-s", "nosuch");
        assertSameError(() -> pair.jipvs().addDestination(missing, Destination.of(ip("10.9.1.1"), 80)),
                "-a", "-t", "10.9.0.2:80", "-r", "10.9.1.1");
        assertSameError(() -> pair.jipvs().addDestination(svc, Destination.of(ip("10.9.1.1"), 80)),
                "-a", "-t", "10.9.0.1:80", "-r", "10.9.1.1");
        assertSameError(() -> pair.jipvs().updateDestination(svc, Destination.of(ip("10.9.1.9"), 80)),
                "-e", "-t", "10.9.0.1:80", "-r", "10.9.1.9");
        assertSameError(() -> pair.jipvs().deleteDestination(svc, ip("10.9.1.9"), 80),
                "-d", "-t", "10.9.0.1:80", "-r", "10.9.1.9");
        assertSameError(() -> pair.jipvs().addDestination(svc, Destination.of(ip("10.9.1.2"), 80)
                .withThresholds(5, 10)), "-a", "-t", "10.9.0.1:80", "-r", "10.9.1.2", "-x", "5", "-y", "10");
        assertSameError(() -> pair.jipvs().addDestination(svc, Destination.of(ip("255.255.255.255"), 80)),
                "-a", "-t", "10.9.0.1:80", "-r", "255.255.255.255");
    }

    @Test
    void errorsCarryTheirErrnoAndOperation() throws Exception {
        ServiceKey svc = ServiceKey.of(Protocol.TCP, ip("10.9.0.3"), 80);
        pair.jipvs().addService(Service.builder(svc).build());
        IpvsException e = assertThrows(IpvsException.class,
                () -> pair.jipvs().addService(Service.builder(svc).build()));
        assertEquals("Service already exists", IpvsadmErrors.text(e));
        assertEquals("add service: File exists", e.getMessage());
        assertEquals("EEXIST", e.errnoName());
        assertEquals(17, e.errno());
    }
}

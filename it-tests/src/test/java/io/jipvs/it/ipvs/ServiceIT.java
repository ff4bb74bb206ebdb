package io.jipvs.it.ipvs;

import static io.jipvs.it.ipvs.OraclePair.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.model.AddressFamily;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.ServiceKey;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Virtual services: what jipvs adds, edits and deletes looks to ipvsadm exactly like what
 * ipvsadm does itself, and jipvs reads ipvsadm's services back field for field.
 */
class ServiceIT {
    @RegisterExtension
    static final OraclePair pair = new OraclePair();

    @AfterEach
    void emptyTables() {
        pair.clear();
    }

    /** Adds through jipvs and through ipvsadm, then compares listings and the read-back. */
    private static void addBothWays(Service service, String... ipvsadmArgs) {
        pair.jipvs().addService(service);
        pair.ipvsadm(ipvsadmArgs);
        pair.assertSameTables();
        assertEquals(service, pair.reader().service(service.key()).orElseThrow().service(),
                "jipvs reads ipvsadm's service " + service.key());
        assertEquals(service, pair.jipvs().service(service.key()).orElseThrow().service());
    }

    @Test
    void tcpRoundRobin() throws Exception {
        addBothWays(Service.builder(ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 80)).scheduler("rr").build(),
                "-A", "-t", "10.0.0.1:80", "-s", "rr");
    }

    @Test
    void udpWithOnePacketSchedulingAndShPort() throws Exception {
        addBothWays(Service.builder(ServiceKey.of(Protocol.UDP, ip("192.168.1.10"), 53)).scheduler("sh")
                        .flag(ServiceFlag.ONE_PACKET).flag(ServiceFlag.SCHED2).build(),
                "-A", "-u", "192.168.1.10:53", "-s", "sh", "-b", "sh-port", "-o");
    }

    @Test
    void sctpWeightedLeastConnection() throws Exception {
        addBothWays(Service.builder(ServiceKey.of(Protocol.SCTP, ip("10.0.0.2"), 3868)).scheduler("wlc").build(),
                "-A", "--sctp-service", "10.0.0.2:3868", "-s", "wlc");
    }

    @Test
    void persistentWithNetmaskAndSipEngine() throws Exception {
        addBothWays(Service.builder(ServiceKey.of(Protocol.TCP, ip("192.168.1.10"), 443)).scheduler("wlc")
                        .persistent(1800).netmask(Service.ipv4Netmask(24)).persistenceEngine("sip").build(),
                "-A", "-t", "192.168.1.10:443", "-s", "wlc", "-p", "1800", "-M", "255.255.255.0", "--pe", "sip");
    }

    @Test
    void nonContiguousIpv4MaskAsIpvsadmAllowsIt() throws Exception {
        addBothWays(Service.builder(ServiceKey.of(Protocol.TCP, ip("10.0.0.3"), 80)).scheduler("lc")
                        .persistent(360).netmask(0x18).build(),
                "-A", "-t", "10.0.0.3:80", "-s", "lc", "-p", "-M", "24");
    }

    @Test
    void ipv6ServiceWithPrefixNetmask() throws Exception {
        addBothWays(Service.builder(ServiceKey.of(Protocol.TCP, ip("2001:db8::10"), 80)).scheduler("wrr")
                        .persistent(120).netmask(48).build(),
                "-A", "-t", "[2001:db8::10]:80", "-s", "wrr", "-p", "120", "-M", "48");
    }

    @Test
    void ipv6ServiceDefaultsToPrefix128() throws Exception {
        addBothWays(Service.builder(ServiceKey.of(Protocol.UDP, ip("2001:db8::53"), 53)).scheduler("rr").build(),
                "-A", "-u", "[2001:db8::53]:53", "-s", "rr");
    }

    @Test
    void fwmarkServices() throws Exception {
        addBothWays(Service.builder(ServiceKey.ofFwmark(AddressFamily.INET, 100)).scheduler("lc").persistent(360)
                .build(), "-A", "-f", "100", "-s", "lc", "-p");
        addBothWays(Service.builder(ServiceKey.ofFwmark(AddressFamily.INET6, 200)).scheduler("rr").build(),
                "-A", "-f", "200", "-6", "-s", "rr");
    }

    @Test
    void everySchedulerAndItsFlags() throws Exception {
        String[][] cases = {
                {"rr", ""}, {"wrr", ""}, {"lc", ""}, {"wlc", ""}, {"lblc", ""}, {"lblcr", ""}, {"dh", ""},
                {"sed", ""}, {"nq", ""}, {"fo", ""}, {"ovf", ""},
                {"sh", "sh-fallback,sh-port"}, {"mh", "mh-fallback,mh-port"}, {"rr", "flag-1,flag-2,flag-3"},
        };
        int port = 1000;
        for (String[] c : cases) {
            port++;
            Service.Builder b = Service.builder(ServiceKey.of(Protocol.TCP, ip("10.0.1.1"), port)).scheduler(c[0]);
            if (c[1].contains("fallback") || c[1].contains("flag-1")) {
                b.flag(ServiceFlag.SCHED1);
            }
            if (c[1].contains("port") || c[1].contains("flag-2")) {
                b.flag(ServiceFlag.SCHED2);
            }
            if (c[1].contains("flag-3")) {
                b.flag(ServiceFlag.SCHED3);
            }
            if (c[1].isEmpty()) {
                addBothWays(b.build(), "-A", "-t", "10.0.1.1:" + port, "-s", c[0]);
            } else {
                addBothWays(b.build(), "-A", "-t", "10.0.1.1:" + port, "-s", c[0], "-b", c[1]);
            }
        }
        assertEquals(cases.length, pair.jipvs().services().size());
    }

    @Test
    void editReplacesEverySetting() throws Exception {
        ServiceKey key = ServiceKey.of(Protocol.TCP, ip("10.0.0.4"), 8080);
        addBothWays(Service.builder(key).scheduler("rr").persistent(600).persistenceEngine("sip").build(),
                "-A", "-t", "10.0.0.4:8080", "-s", "rr", "-p", "600", "--pe", "sip");
        Service edited = Service.builder(key).scheduler("sh").flag(ServiceFlag.SCHED1).build();
        pair.jipvs().updateService(edited);
        pair.ipvsadm("-E", "-t", "10.0.0.4:8080", "-s", "sh", "-b", "sh-fallback");
        pair.assertSameTables();
        assertEquals(edited, pair.reader().service(key).orElseThrow().service());
    }

    @Test
    void deleteRemovesOnlyThatService() throws Exception {
        ServiceKey keep = ServiceKey.of(Protocol.TCP, ip("10.0.0.5"), 80);
        ServiceKey drop = ServiceKey.of(Protocol.UDP, ip("10.0.0.5"), 80);
        pair.jipvs().addService(Service.builder(keep).build());
        pair.jipvs().addService(Service.builder(drop).build());
        pair.ipvsadm("-A", "-t", "10.0.0.5:80");
        pair.ipvsadm("-A", "-u", "10.0.0.5:80");
        pair.jipvs().deleteService(drop);
        pair.ipvsadm("-D", "-u", "10.0.0.5:80");
        pair.assertSameTables();
        assertFalse(pair.jipvs().service(drop).isPresent());
        assertTrue(pair.jipvs().service(keep).isPresent());
    }

    @Test
    void listingReadsEveryServiceIpvsadmCreated() throws Exception {
        pair.ipvsadm("-A", "-t", "10.0.0.6:80", "-s", "rr");
        pair.ipvsadm("-A", "-u", "[2001:db8::6]:53", "-s", "wlc", "-p", "60", "-M", "64");
        pair.ipvsadm("-A", "-f", "7", "-s", "sh", "-b", "sh-port");
        List<Service> expected = List.of(
                Service.builder(ServiceKey.of(Protocol.TCP, ip("10.0.0.6"), 80)).scheduler("rr").build(),
                Service.builder(ServiceKey.of(Protocol.UDP, ip("2001:db8::6"), 53)).scheduler("wlc").persistent(60)
                        .netmask(64).build(),
                Service.builder(ServiceKey.ofFwmark(AddressFamily.INET, 7)).scheduler("sh").flag(ServiceFlag.SCHED2)
                        .build());
        List<Service> read = pair.reader().services().stream().map(ServiceEntry::service).collect(Collectors.toList());
        assertEquals(expected.size(), read.size(), read.toString());
        assertTrue(read.containsAll(expected), read.toString());
    }
}

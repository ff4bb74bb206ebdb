package io.jipvs.it.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.ipvsadm.IpvsadmErrors;
import io.jipvs.it.lab.Netns;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.ipvs.IpvsMutation;
import io.jipvs.netlink.ipvs.IpvsResult;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 2,000 services with 4 destinations each: written as one batch of 10,000 operations through
 * one socket with a bounded number of system calls, dumped back completely, and identical in
 * ipvsadm's save output to the same table restored by ipvsadm -R.
 */
class ScaleIT {
    private static final int SERVICES = 2000;
    private static final int DESTINATIONS_PER_SERVICE = 4;
    /** Generous bound; the client needs ~2 datagrams each way with 8 MiB socket buffers. */
    private static final int MAX_SEND_CALLS = 20;
    private static final int MAX_RECEIVE_CALLS = 20;

    @RegisterExtension
    static final OraclePair pair = new OraclePair();
    private static final Map<ServiceKey, Service> SERVICES_BY_KEY = new HashMap<>();
    private static final Map<ServiceKey, Set<Destination>> DESTINATIONS = new HashMap<>();
    private static final List<IpvsMutation> BATCH = new ArrayList<>();
    private static final StringBuilder RESTORE = new StringBuilder();

    @BeforeAll
    static void table() throws Exception {
        for (int i = 0; i < SERVICES; i++) {
            String vip = "10." + (20 + i / 250) + "." + (i % 250) + ".1";
            int port = 80 + (i % 3);
            Protocol protocol = i % 2 == 0 ? Protocol.TCP : Protocol.UDP;
            ServiceKey key = ServiceKey.of(protocol, InetAddress.getByName(vip), port);
            Service service = Service.builder(key).scheduler(i % 5 == 0 ? "wrr" : "rr").build();
            SERVICES_BY_KEY.put(key, service);
            BATCH.add(new IpvsMutation.AddService(service));
            String option = protocol == Protocol.TCP ? "-t" : "-u";
            RESTORE.append("-A ").append(option).append(' ').append(vip).append(':').append(port)
                    .append(" -s ").append(service.scheduler()).append('\n');
            Set<Destination> dests = new java.util.HashSet<>();
            for (int d = 0; d < DESTINATIONS_PER_SERVICE; d++) {
                String rip = "172." + (16 + i / 250) + "." + (i % 250) + "." + (d + 10);
                Destination dest = Destination.of(InetAddress.getByName(rip), 8080 + d)
                        .withForwarding(ForwardingMethod.MASQ).withWeight(d + 1);
                dests.add(dest);
                BATCH.add(new IpvsMutation.AddDestination(key, dest));
                RESTORE.append("-a ").append(option).append(' ').append(vip).append(':').append(port)
                        .append(" -r ").append(rip).append(':').append(8080 + d).append(" -m -w ").append(d + 1)
                        .append('\n');
            }
            DESTINATIONS.put(key, dests);
        }
    }

    @AfterAll
    static void cleanUp() {
        pair.close();
    }

    @Test
    void tenThousandOperationsInOneBatchWithBoundedSystemCalls() throws Exception {
        assertEquals(SERVICES * (1 + DESTINATIONS_PER_SERVICE), BATCH.size());
        long sends = pair.jipvsSocket().sendCalls();
        long receives = pair.jipvsSocket().receiveCalls();
        List<IpvsResult> results = pair.jipvs().apply(BATCH);
        long sendCalls = pair.jipvsSocket().sendCalls() - sends;
        long receiveCalls = pair.jipvsSocket().receiveCalls() - receives;

        List<IpvsResult> failed = results.stream().filter(r -> !r.ok()).limit(5).collect(Collectors.toList());
        assertEquals(List.of(), failed);
        assertTrue(sendCalls <= MAX_SEND_CALLS, sendCalls + " sendto calls");
        assertTrue(receiveCalls <= MAX_RECEIVE_CALLS, receiveCalls + " recvfrom calls");

        // The full table dumps back: every service and every destination, field for field.
        List<ServiceEntry> services = pair.jipvs().services();
        assertEquals(SERVICES, services.size());
        for (ServiceEntry e : services) {
            assertEquals(SERVICES_BY_KEY.get(e.key()), e.service());
            List<DestinationEntry> dests = pair.jipvs().destinations(e.key());
            assertEquals(DESTINATIONS.get(e.key()),
                    dests.stream().map(DestinationEntry::destination).collect(Collectors.toSet()), e.key().toString());
        }

        // ipvsadm -R builds the same table in the other namespace; both save identically.
        Path rules = Files.createTempFile("jipvs-scale-", ".rules");
        try {
            Files.writeString(rules, RESTORE);
            pair.ipvsadmNs().run("sh", "-c", "ipvsadm -R < " + rules).orThrow();
        } finally {
            Files.deleteIfExists(rules);
        }
        assertEquals(pair.listingOfIpvsadm("-Sn"), pair.listingOfJipvs("-Sn"));

        // And jipvs reads ipvsadm's table back completely.
        List<ServiceEntry> restored = pair.reader().services();
        assertEquals(SERVICES, restored.size());
        assertEquals(SERVICES_BY_KEY.keySet(), restored.stream().map(ServiceEntry::key).collect(Collectors.toSet()));
    }

    @Test
    void batchFailuresAreReportedPerOperationAndTheRestIsApplied() throws Exception {
        try (Netns ns = Netns.create();
             var client = io.jipvs.netlink.ipvs.IpvsClient.open(ns.path())) {
            ServiceKey key = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.50.0.1"), 80);
            ServiceKey missing = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.50.0.2"), 80);
            List<IpvsMutation> batch = List.of(
                    new IpvsMutation.AddService(Service.builder(key).build()),
                    new IpvsMutation.AddService(Service.builder(key).build()),
                    new IpvsMutation.AddDestination(missing, Destination.of(InetAddress.getByName("10.50.1.1"), 80)),
                    new IpvsMutation.AddDestination(key, Destination.of(InetAddress.getByName("10.50.1.1"), 80)),
                    new IpvsMutation.DeleteDestination(key, InetAddress.getByName("10.50.1.9"), 80));
            List<IpvsResult> results = client.apply(batch);
            assertTrue(results.get(0).ok());
            assertEquals("Service already exists", IpvsadmErrors.text(results.get(1).error()));
            assertEquals("Service not defined", IpvsadmErrors.text(results.get(2).error()));
            assertTrue(results.get(3).ok());
            assertEquals("No such destination", IpvsadmErrors.text(results.get(4).error()));
            assertEquals(1, client.destinations(key).size());
        }
    }
}

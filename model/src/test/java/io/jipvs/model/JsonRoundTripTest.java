package io.jipvs.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class JsonRoundTripTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private <T> T roundTrip(T value, Class<T> type) throws Exception {
        String json = mapper.writeValueAsString(value);
        return mapper.readValue(json, type);
    }

    @Test
    void serviceEntryRoundTrips() throws Exception {
        Service service = Service.builder(ServiceKey.of(Protocol.TCP, InetAddress.getByName("192.168.1.10"), 443))
                .scheduler("wlc").persistent(1800).netmask(Service.ipv4Netmask(24)).persistenceEngine("sip")
                .flag(ServiceFlag.SCHED1).build();
        ServiceEntry entry = new ServiceEntry(service, new Stats(1, 2, 3, 4, 5, 6, 7, 8, 9, Long.MAX_VALUE));
        assertEquals(entry, roundTrip(entry, ServiceEntry.class));
    }

    @Test
    void fwmarkServiceRoundTripsWithoutNullFields() throws Exception {
        Service service = Service.builder(ServiceKey.ofFwmark(AddressFamily.INET6, 200)).scheduler("rr").build();
        String json = mapper.writeValueAsString(service);
        assertFalse(json.contains("null"), json);
        assertEquals(service, mapper.readValue(json, Service.class));
    }

    @Test
    void destinationEntryRoundTrips() throws Exception {
        Destination d = Destination.of(InetAddress.getByName("2001:db8::a"), 8080)
                .withTunnel(TunnelType.GUE, 6080, TunnelChecksum.REMCSUM).withThresholds(100, 10).withWeight(7);
        DestinationEntry entry = new DestinationEntry(d, 3, 4, 5, Stats.ZERO);
        assertEquals(entry, roundTrip(entry, DestinationEntry.class));
    }

    @Test
    void daemonTimeoutsAndInfoRoundTrip() throws Exception {
        SyncDaemon daemon = new SyncDaemon(SyncState.BACKUP, "lo", 9, 9000, InetAddress.getByName("ff02::1234"), 9000,
                5);
        assertEquals(daemon, roundTrip(daemon, SyncDaemon.class));
        Timeouts t = new Timeouts(900, 120, 300);
        assertEquals(t, roundTrip(t, Timeouts.class));
        IpvsInfo info = new IpvsInfo(0x010201, 4096);
        String json = mapper.writeValueAsString(info);
        assertTrue(json.contains("\"version\":\"1.2.1\""), json);
        assertEquals(info, mapper.readValue(json, IpvsInfo.class));
    }
}

package io.jipvs.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.jipvs.model.Addresses;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which VIPs a director announces, and ExaBGP's lines between two announced sets. */
class AnnouncementsTest {
    static final InetAddress WEB = Addresses.literal("192.0.2.10");
    static final InetAddress DNS = Addresses.literal("2001:db8::53");

    static JsonNode state(String services) throws Exception {
        return StateDocument.JSON.readTree("{\"role\":\"backup\",\"services\":[" + services + "]}");
    }

    @Test
    void aVipIsAnnouncedWhileEveryServiceOnItHasQuorum() throws Exception {
        JsonNode s = state("""
                {"address":"192.0.2.10","port":80,"inKernel":true,"quorum":{"up":true}},
                {"address":"192.0.2.10","port":443,"inKernel":true,"quorum":{"up":false}},
                {"address":"2001:db8::53","port":53,"inKernel":true},
                {"address":"198.51.100.1","port":80,"inKernel":false},
                {"fwmark":7,"inKernel":true}
                """);
        Map<InetAddress, Boolean> want = new LinkedHashMap<>();
        want.put(WEB, false);
        want.put(DNS, true);
        want.put(Addresses.literal("198.51.100.1"), false);
        assertEquals(want, new Announcements(Set.of()).wanted(s),
                "443 without quorum withdraws the VIP; no checks: up; not in the kernel: down");
        assertEquals(Map.of(DNS, true), new Announcements(Set.of(DNS)).wanted(s), "--vip limits the VIPs");
    }

    @Test
    void linesGoFromOneAnnouncedSetToTheNextWithdrawalsFirst() {
        Map<InetAddress, Boolean> next = new LinkedHashMap<>();
        next.put(WEB, false);
        next.put(DNS, true);
        assertEquals(List.of("withdraw route 192.0.2.10/32 next-hop self",
                        "announce route 2001:db8::53/128 next-hop self med 100"),
                Announcements.exabgp(Set.of(WEB), next, "med 100"));
        assertEquals(List.of(), Announcements.exabgp(Set.of(DNS), next, ""), "nothing changed: nothing said");
    }
}

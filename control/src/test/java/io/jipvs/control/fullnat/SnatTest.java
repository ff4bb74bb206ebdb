package io.jipvs.control.fullnat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnatTest {
    static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, ip("10.9.9.9"), 80);
    static final ServiceKey WEB6 = ServiceKey.of(Protocol.TCP, ip("fd09::9"), 80);
    static final ServiceKey DNS = ServiceKey.of(Protocol.UDP, ip("10.9.9.8"), 53);

    static InetAddress ip(String s) {
        return Addresses.literal(s);
    }

    @Test
    void masqueradeMatchesTheServicesConnectionsThatIpvsSentElsewhere() {
        assertEquals("meta l4proto tcp ct original ip daddr 10.9.9.9 ct original proto-dst 80 ip daddr != 10.9.9.9"
                + " masquerade comment \"jipvs fullnat tcp 10.9.9.9 80 masquerade\"", Snat.masquerade(WEB).rule());
    }

    @Test
    void oneSnatAddressIsASnatAndAPoolPicksOnePerConnection() {
        assertEquals("meta l4proto udp ct original ip daddr 10.9.9.8 ct original proto-dst 53 ip daddr != 10.9.9.8"
                + " snat ip to 10.3.0.10 comment \"jipvs fullnat udp 10.9.9.8 53 snat 10.3.0.10\"",
                new Snat(DNS, List.of(ip("10.3.0.10"))).rule());
        assertEquals("meta l4proto tcp ct original ip6 daddr fd09::9 ct original proto-dst 80 ip6 daddr != fd09::9"
                + " snat ip6 to numgen random mod 2 map { 0 : fd03::10, 1 : fd03::11 }"
                + " comment \"jipvs fullnat tcp fd09::9 80 snat fd03::10,fd03::11\"",
                new Snat(WEB6, List.of(ip("fd03::10"), ip("fd03::11"))).rule());
    }

    @Test
    void theCommentReadsBackAsTheSameRule() {
        for (Snat s : List.of(Snat.masquerade(WEB), new Snat(WEB6, List.of(ip("fd03::10"), ip("fd03::11"))),
                new Snat(DNS, List.of(ip("10.3.0.10"))))) {
            assertEquals(Optional.of(s), Snat.ofComment(s.comment()));
        }
        assertEquals(Optional.empty(), Snat.ofComment("someone else's rule"));
        assertEquals(Optional.empty(), Snat.ofComment("jipvs fullnat tcp 10.9.9.9 eighty masquerade"));
        assertEquals(Optional.empty(), Snat.ofComment("jipvs fullnat tcp 10.9.9.9 80 snat 10.3.0.10,nonsense"));
        assertEquals(Optional.empty(), Snat.ofComment(null));
    }

    @Test
    void aPoolIsOfTheServicesFamilyWithoutRepeatsAndFirewallMarksHaveNoVipToMatch() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Snat(WEB, List.of(ip("fd03::10"))))
                .getMessage().contains("not of the service's family"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new Snat(WEB, List.of(ip("10.3.0.10"), ip("10.3.0.10")))).getMessage().contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Snat.masquerade(ServiceKey.ofFwmark(AddressFamily.INET, 5))).getMessage().contains("address service"));
    }

    @Test
    void eachSnatAddressCarriesTheUnprivilegedPortsToOneRealServer() {
        assertEquals(64_512, Snat.masquerade(WEB).connectionsPerRealServer());
        assertEquals(129_024, new Snat(WEB, List.of(ip("10.3.0.10"), ip("10.3.0.11"))).connectionsPerRealServer());
    }
}

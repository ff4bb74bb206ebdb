package io.jipvs.cli.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jipvs.model.Addresses;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class VipsTest {

    static InetAddress ip(String s) {
        return Addresses.literal(s);
    }

    @Test
    void vipListsAreLiteralHostAddresses() {
        assertEquals(List.of(ip("10.0.0.100"), ip("fd00::100")), Vips.parse("10.0.0.100, fd00::100/128,10.0.0.100/32"));
        assertThrows(IllegalArgumentException.class, () -> Vips.parse("10.0.0.100/24"));
        assertThrows(IllegalArgumentException.class, () -> Vips.parse("vip.example.com"));
        assertThrows(IllegalArgumentException.class, () -> Vips.parse("10.0.0.300"));
        assertThrows(IllegalArgumentException.class, () -> Vips.parse("10.0.0.1,"));
        assertThrows(IllegalArgumentException.class, () -> Vips.parse("127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> Vips.parse("::ffff:10.0.0.1"));
    }

    @Test
    void onlyUnicastAddressesAreVips() {
        for (String bad : new String[] {"255.255.255.255", "0.0.0.0", "224.0.0.1", "239.255.255.250", "::",
                "ff02::1", "ff00::", "169.254.1.1", "fe80::1", "::1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vips.parse(bad), bad);
            assertEquals("VIP " + bad + " is not a unicast service address", e.getMessage());
        }
        assertEquals(List.of(ip("255.255.255.254"), ip("223.255.255.255")), Vips.parse("255.255.255.254,223.255.255.255"));
    }
}

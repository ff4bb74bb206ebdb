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
}

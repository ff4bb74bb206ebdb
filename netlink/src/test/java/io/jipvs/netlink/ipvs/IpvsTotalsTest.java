package io.jipvs.netlink.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jipvs.model.Stats;
import org.junit.jupiter.api.Test;

class IpvsTotalsTest {
    /** The layout of net/netfilter/ipvs/ip_vs_ctl.c's ip_vs_stats_show (numbers in hexadecimal). */
    static final String FILE = """
               Total Incoming Outgoing         Incoming         Outgoing
               Conns  Packets  Packets            Bytes            Bytes
                  1F      1A4        0            1F3A0                0

             Conns/s   Pkts/s   Pkts/s          Bytes/s          Bytes/s
                   2       1C        0              B40                0
            """;

    @Test
    void countersAndRatesAreReadAsHexadecimal() {
        assertEquals(new Stats(31, 420, 0, 127904, 0, 2, 28, 0, 2880, 0), IpvsTotals.parse(FILE));
    }

    @Test
    void countersUseAllSixtyFourBits() {
        String big = FILE.replace("1F3A0", "FFFFFFFFFFFFFFFF");
        assertEquals(-1L, IpvsTotals.parse(big).inBytes(), "2^64-1 as an unsigned long");
    }

    @Test
    void anotherLayoutIsRefusedWithTheLineItSaw() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IpvsTotals.parse(FILE.replace("1A4", "1A4 7")));
        assertEquals("ip_vs_stats: expected 5 numbers in \"1F      1A4 7        0            1F3A0                0\"",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IpvsTotals.parse("Total\n"));
    }
}

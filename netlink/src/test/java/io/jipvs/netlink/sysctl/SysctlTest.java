package io.jipvs.netlink.sysctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysctlTest {
    @TempDir
    Path root;

    @Test
    void readsAndWritesIntegers() throws Exception {
        Path f = root.resolve("net/ipv4/conf/all/arp_ignore");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "0\n");
        Sysctl s = new Sysctl(root);
        assertEquals(OptionalInt.of(0), s.readInt("net/ipv4/conf/all/arp_ignore"));
        s.write("net/ipv4/conf/all/arp_ignore", 1);
        assertEquals("1\n", Files.readString(f));
        assertTrue(s.readInt("net/ipv4/conf/eth9/arp_ignore").isEmpty());
    }

    @Test
    void refusesToCreateEntriesOrEscapeTheTree() {
        Sysctl s = new Sysctl(root);
        SysctlException e = assertThrows(SysctlException.class, () -> s.write("net/ipv4/ip_forward", 1));
        assertEquals("cannot write net.ipv4.ip_forward: no such sysctl", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.read("net/../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> s.read("/etc/passwd"));
    }

    @Test
    void anyInterfaceNameLinuxAllowsIsItsOwnDirectory() throws Exception {
        // ip link add 'a,b' type dummy: /proc/sys/net/ipv4/conf/a,b/ (and c$d/, e.f/) in the lab.
        Sysctl s = new Sysctl(root);
        for (String dev : new String[] {"a,b", "c$d", "e.f", "-x", "#%&!", "x=y"}) {
            Path f = root.resolve("net/ipv4/conf").resolve(dev).resolve("arp_ignore");
            Files.createDirectories(f.getParent());
            Files.writeString(f, "0\n");
            s.write(Sysctl.ipv4Conf(dev, "arp_ignore"), 1);
            assertEquals(OptionalInt.of(1), s.readInt(Sysctl.ipv4Conf(dev, "arp_ignore")), dev);
        }
        assertThrows(IllegalArgumentException.class, () -> s.read(Sysctl.ipv4Conf("..", "arp_ignore")));
        assertThrows(IllegalArgumentException.class, () -> s.read(Sysctl.ipv4Conf(".", "arp_ignore")));
        assertThrows(IllegalArgumentException.class, () -> s.read(Sysctl.ipv4Conf("", "arp_ignore")));
        assertThrows(IllegalArgumentException.class, () -> s.read("net/ipv4/conf/a\0b/arp_ignore"));
    }

    @Test
    void dottedNamesSwapDotsInsideInterfaceNames() {
        assertEquals("net.ipv4.conf.eth0/100.rp_filter", Sysctl.dotted(Sysctl.ipv4Conf("eth0.100", "rp_filter")));
        assertEquals("net.ipv6.conf.all.forwarding", Sysctl.dotted("net/ipv6/conf/all/forwarding"));
    }
}

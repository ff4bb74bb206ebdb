package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.it.lab.Exec;
import io.jipvs.model.ForwardingMethod;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DR on one L2 segment (a bridge): client 10.0.0.10, director 10.0.0.2 + VIP 10.0.0.100, real
 * servers 10.0.0.11 and .12 prepared with rs-setup (VIP on lo, ARP sysctls).
 */
class DrTrafficIT extends TrafficTest {
    static final String VIP = "10.0.0.100";

    @Override
    protected List<String> build() {
        return sharedSegment(VIP, "dr", "VIP 10.0.0.100 (dr on lo, set up by jipvs): ready");
    }

    @Override
    protected InetAddress vip() {
        return addr(VIP);
    }

    @Override
    protected ForwardingMethod forwarding() {
        return ForwardingMethod.ROUTE;
    }


    /** The real servers hold the VIP too, but only the director may answer ARP for it. */
    @Test
    void onlyTheDirectorAnswersArpForTheVip() {
        service("rr", 1, 1);
        assertEquals(java.util.Map.of("rs1", 1, "rs2", 1), send(2));
        String lbMac = mac(director);
        String neigh = Exec.run("ip", "-n", client, "neigh", "show", VIP).orThrow().stdout();
        assertTrue(neigh.contains("lladdr " + lbMac), "client's entry for the VIP: " + neigh + " director: " + lbMac);
        // arping from the client: every answer comes from the director's MAC.
        Exec.Result arp = Exec.run("ip", "netns", "exec", client, "busybox", "arping", "-I", "eth0", "-c", "2", "-w", "3", VIP);
        assertTrue(arp.stdout().contains("[" + lbMac + "]"), arp.stdout());
        assertEquals(0, arp.stdout().lines().filter(l -> l.contains("reply from") && !l.contains(lbMac)).count(),
                arp.stdout());
    }

    static String mac(String ns) {
        String link = Exec.run("ip", "-n", ns, "-o", "link", "show", "eth0").orThrow().stdout();
        int at = link.indexOf("link/ether ") + "link/ether ".length();
        return link.substring(at, at + 17);
    }
}

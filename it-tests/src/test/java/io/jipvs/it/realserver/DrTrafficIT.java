package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.realserver.RsSetupCommand;
import io.jipvs.cli.realserver.RsStatusCommand;
import io.jipvs.it.lab.Exec;
import io.jipvs.model.ForwardingMethod;
import java.net.InetAddress;
import java.nio.file.Files;
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
        String sw = topology.namespace("sw");
        client = topology.namespace("cl");
        director = topology.namespace("lb");
        String rs1 = topology.namespace("rs1");
        String rs2 = topology.namespace("rs2");
        topology.veth(client, "eth0", sw, "p-cl");
        topology.veth(director, "eth0", sw, "p-lb");
        topology.veth(rs1, "eth0", sw, "p-rs1");
        topology.veth(rs2, "eth0", sw, "p-rs2");
        topology.bridge(sw, "br0", "p-cl", "p-lb", "p-rs1", "p-rs2");
        topology.address(client, "eth0", "10.0.0.10/24");
        topology.address(director, "eth0", "10.0.0.2/24");
        topology.address(director, "eth0", VIP + "/32");
        topology.address(rs1, "eth0", "10.0.0.11/24");
        topology.address(rs2, "eth0", "10.0.0.12/24");
        try {
            String dir = Files.createTempDirectory("jipvs-state").toString();
            for (String rs : List.of(rs1, rs2)) {
                Commands.run(new RsSetupCommand(), Commands.args(rs, dir, "--vip", VIP)).ok();
                String status = Commands.run(new RsStatusCommand(), Commands.args(rs, dir)).ok().out();
                assertTrue(status.startsWith("VIP 10.0.0.100 (dr on lo, set up by jipvs): ready"), status);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return List.of(rs1, rs2);
    }

    @Override
    protected InetAddress vip() {
        return addr(VIP);
    }

    @Override
    protected InetAddress rip(int n) {
        return addr("10.0.0.1" + n);
    }

    @Override
    protected ForwardingMethod forwarding() {
        return ForwardingMethod.ROUTE;
    }

    static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
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

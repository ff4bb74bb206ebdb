package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.desired.ApplyCommand;
import io.jipvs.cli.desired.DiffCommand;
import io.jipvs.cli.desired.ExportCommand;
import io.jipvs.cli.realserver.DirectorSetupCommand;
import io.jipvs.cli.realserver.DirectorStatusCommand;
import io.jipvs.cli.realserver.DirectorTeardownCommand;
import io.jipvs.it.lab.Exec;
import io.jipvs.model.Destination;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.sysctl.Sysctl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * FULLNAT, routed: client (10.1.0.10, fd01::10) → router rt1 → director (VIPs 10.9.9.9 and
 * fd09::9 on lo) → router rt2 → real servers 10.4.0.11/.12 (fd04::11/12). The real servers hold
 * no VIP, keep the kernel's ARP defaults, and route by default via rt2, which has no route to the
 * client: only a director that gives their connections its own source address gets answers.
 * rs3 (10.6.0.13) sits on a third director port with the director as gateway, for a plain NAT
 * service beside the FULLNAT one.
 */
class FullnatTrafficIT extends TrafficTest {
    static final String VIP = "10.9.9.9";
    static final String VIP6 = "fd09::9";
    static final String NAT_VIP = "10.9.9.10";
    /** The VIP of the service made by jipvs apply from a file. */
    static final String APPLY_VIP = "10.9.9.11";
    private String stateDir;
    private String rs1ns;
    private Http.Responder rs3;

    @Override
    protected List<String> build() {
        client = topology.namespace("cl");
        String rt1 = topology.namespace("rt1");
        director = topology.namespace("lb");
        String rt2 = topology.namespace("rt2");
        String sw = topology.namespace("sw");
        rs1ns = topology.namespace("rs1");
        String rs2 = topology.namespace("rs2");
        String rs3ns = topology.namespace("rs3");
        topology.veth(client, "eth0", rt1, "eth0");
        topology.veth(rt1, "eth1", director, "eth0");
        topology.veth(director, "eth1", rt2, "eth0");
        topology.veth(rt2, "eth1", sw, "p-rt2");
        topology.veth(rs1ns, "eth0", sw, "p-rs1");
        topology.veth(rs2, "eth0", sw, "p-rs2");
        topology.bridge(sw, "br0", "p-rt2", "p-rs1", "p-rs2");
        topology.veth(director, "eth2", rs3ns, "eth0");
        both(client, "eth0", "10.1.0.10/24", "fd01::10/64");
        both(rt1, "eth0", "10.1.0.1/24", "fd01::1/64");
        both(rt1, "eth1", "10.5.0.1/24", "fd05::1/64");
        both(director, "eth0", "10.5.0.2/24", "fd05::2/64");
        both(director, "eth1", "10.3.0.1/24", "fd03::1/64");
        both(rt2, "eth0", "10.3.0.2/24", "fd03::2/64");
        both(rt2, "eth1", "10.4.0.1/24", "fd04::1/64");
        both(rs1ns, "eth0", "10.4.0.11/24", "fd04::11/64");
        both(rs2, "eth0", "10.4.0.12/24", "fd04::12/64");
        topology.address(director, "eth2", "10.6.0.1/24");
        topology.address(rs3ns, "eth0", "10.6.0.13/24");
        topology.address(director, "lo", VIP + "/32");
        topology.address(director, "lo", NAT_VIP + "/32");
        topology.address(director, "lo", APPLY_VIP + "/32");
        Topology.ip("-n", director, "addr", "add", VIP6 + "/128", "dev", "lo");
        // The SNAT pool, on the director's port towards the real servers.
        topology.address(director, "eth1", "10.3.0.21/24");
        topology.address(director, "eth1", "10.3.0.22/24");
        routes(client, "default via 10.1.0.1", "-6 default via fd01::1");
        routes(rt1, VIP + "/32 via 10.5.0.2", NAT_VIP + "/32 via 10.5.0.2", APPLY_VIP + "/32 via 10.5.0.2",
                "-6 " + VIP6 + "/128 via fd05::2");
        routes(director, "default via 10.5.0.1", "-6 default via fd05::1", "10.4.0.0/24 via 10.3.0.2",
                "-6 fd04::/64 via fd03::2");
        // rt2 knows only its own two subnets: no way back to the client except through the director.
        routes(rs1ns, "default via 10.4.0.1", "-6 default via fd04::1");
        routes(rs2, "default via 10.4.0.1", "-6 default via fd04::1");
        routes(rs3ns, "default via 10.6.0.1");
        for (String router : List.of(rt1, rt2)) {
            sysctl(router, "net/ipv4/ip_forward", 1);
            sysctl(router, "net/ipv6/conf/all/forwarding", 1);
        }
        // The director starts from the kernel's defaults (the lab's dockerd turned IPv4
        // forwarding on in the initial namespace, which new ones inherit).
        sysctl(director, "net/ipv4/ip_forward", 0);
        try {
            stateDir = Files.createTempDirectory("jipvs-state").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.Result before = Commands.run(new DirectorStatusCommand(), Commands.args(director, stateDir, "--fullnat",
                "--service", "tcp:" + VIP + ":80"));
        assertEquals(1, before.exitCode(), before.out());
        assertTrue(before.out().contains("MISSING  net.ipv4.vs.conntrack = 1 (is 0;"), before.out());
        setUp("tcp:" + VIP + ":80");
        rs3 = new Http.Responder(rs3ns, "rs3");
        return List.of(rs1ns, rs2);
    }

    private void setUp(String service, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--fullnat", "--service", service));
        args.addAll(List.of(more));
        Commands.Result r = Commands.run(new DirectorSetupCommand(), Commands.args(director, stateDir,
                args.toArray(String[]::new))).ok();
        System.out.println("FullnatTrafficIT: director-setup " + String.join(" ", args) + "\n" + r.out());
    }

    private void both(String ns, String dev, String v4, String v6) {
        topology.address(ns, dev, v4);
        Topology.ip("-n", ns, "addr", "add", v6, "dev", dev, "nodad");
    }

    private static void routes(String ns, String... routes) {
        for (String r : routes) {
            List<String> cmd = new java.util.ArrayList<>(List.of("-n", ns));
            String rest = r;
            if (r.startsWith("-6 ")) {
                cmd.add("-6");
                rest = r.substring(3);
            }
            cmd.add("route");
            cmd.add("add");
            cmd.addAll(List.of(rest.split(" ")));
            Topology.ip(cmd.toArray(String[]::new));
        }
    }

    private static void sysctl(String ns, String key, int value) {
        Topology.in(ns, () -> {
            new Sysctl().write(key, value);
            return null;
        });
    }

    private static int read(String ns, String key) {
        return Topology.in(ns, () -> new Sysctl().readInt(key).orElseThrow());
    }

    @Override
    protected InetAddress vip() {
        return addr(VIP);
    }

    @Override
    protected InetAddress rip(int n) {
        return addr("10.4.0.1" + n);
    }

    @Override
    protected ForwardingMethod forwarding() {
        return ForwardingMethod.MASQ;
    }

    private static String nft(String ns) {
        return Exec.run("ip", "netns", "exec", ns, "nft", "list", "table", "inet", "jipvs").stdout();
    }

    @Test
    void theRealServersNeedNothingAndSeeTheDirectorAsTheirClient() {
        assertFalse(Exec.run("ip", "-n", rs1ns, "addr").orThrow().stdout().contains(VIP), "no VIP on the real server");
        assertEquals(0, read(rs1ns, "net/ipv4/conf/all/arp_ignore"), "no ARP settings");
        assertEquals(0, read(rs1ns, "net/ipv4/conf/all/arp_announce"), "no ARP settings");
        assertTrue(Exec.run("ip", "-n", rs1ns, "route").orThrow().stdout().contains("default via 10.4.0.1"),
                "its default route is not via the director");
        rs1.peers.clear();
        rs2.peers.clear();
        service("rr", 1, 1);
        assertEquals(Map.of("rs1", 5, "rs2", 5), send(10));
        assertEquals(Set.of(addr("10.3.0.1")), rs1.peers, "rs1's log: the director's address on its way out");
        assertEquals(Set.of(addr("10.3.0.1")), rs2.peers, "rs2's log");
        System.out.println("FullnatTrafficIT: the ruleset jipvs made:\n" + nft(director));
        Commands.Result status = Commands.run(new DirectorStatusCommand(), Commands.args(director, stateDir, "--fullnat",
                "--service", "tcp:" + VIP + ":80")).ok();
        assertTrue(status.out().startsWith("FULLNAT director (set up by jipvs): ready"), status.out());
    }

    @Test
    void ipv6WorksTheSameWay() {
        setUp("tcp:[" + VIP6 + "]:80");
        ServiceKey key = ServiceKey.of(Protocol.TCP, addr(VIP6), 80);
        ipvs.addService(Service.builder(key).scheduler("rr").build());
        for (String rip : List.of("fd04::11", "fd04::12")) {
            ipvs.addDestination(key, Destination.of(addr(rip), 80).withForwarding(ForwardingMethod.MASQ));
        }
        rs1.peers.clear();
        rs2.peers.clear();
        java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
        for (int i = 0; i < 10; i++) {
            seen.merge(Http.get(client, addr(VIP6)), 1, Integer::sum);
        }
        assertEquals(Map.of("rs1", 5, "rs2", 5), seen);
        assertEquals(Set.of(addr("fd03::1")), rs1.peers);
        assertEquals(Set.of(addr("fd03::1")), rs2.peers);
        assertEquals(1, read(director, "net/ipv6/conf/all/forwarding"), "IPv6 forwarding set for the IPv6 service");
        Commands.run(new DirectorTeardownCommand(), Commands.args(director, stateDir, "--fullnat", "--service",
                "tcp:[" + VIP6 + "]:80")).ok();
        assertFalse(nft(director).contains(VIP6), nft(director));
    }

    @Test
    void aPoolOfSnatAddressesIsUsedWhole() {
        setUp("tcp:" + VIP + ":80", "--snat-address", "10.3.0.21,10.3.0.22");
        try {
            service("rr", 1, 1);
            rs1.peers.clear();
            rs2.peers.clear();
            send(20);
            Set<InetAddress> seen = new java.util.HashSet<>(rs1.peers);
            seen.addAll(rs2.peers);
            // Each connection picks one of the two at random: both unused in 20 is a 1 in 500,000 event.
            assertEquals(Set.of(addr("10.3.0.21"), addr("10.3.0.22")), seen);
            System.out.println("FullnatTrafficIT: the ruleset with a pool:\n" + nft(director));
        } finally {
            setUp("tcp:" + VIP + ":80");
        }
    }

    @Test
    void aNatServiceBesideAFullnatOneKeepsTheClientsAddress() {
        service("rr", 1, 1);
        ServiceKey nat = ServiceKey.of(Protocol.TCP, addr(NAT_VIP), 80);
        ipvs.addService(Service.builder(nat).scheduler("rr").build());
        ipvs.addDestination(nat, Destination.of(addr("10.6.0.13"), 80).withForwarding(ForwardingMethod.MASQ));
        rs3.peers.clear();
        rs1.peers.clear();
        assertEquals("rs3", Http.get(client, addr(NAT_VIP)));
        assertEquals(Set.of(addr("10.1.0.10")), rs3.peers, "NAT: the real server sees the client");
        assertTrue(Set.of("rs1", "rs2").contains(Http.get(client, vip())), "and FULLNAT still answers");
    }

    /** A FULLNAT service in a file, with one SNAT address; then the same service as plain NAT. */
    private static String file(String forwarding) {
        return file(forwarding, "[ { address: 10.4.0.11 }, { address: 10.4.0.12 } ]");
    }

    private static String file(String forwarding, String realServers) {
        return "services:\n  - protocol: tcp\n    address: " + APPLY_VIP + "\n    port: 80\n    scheduler: rr\n"
                + "    forwarding: " + forwarding + "\n"
                + (forwarding.equals("fullnat") ? "    snatAddresses: [10.3.0.21]\n" : "")
                + "    realServers: " + realServers + "\n";
    }

    private Commands.Result desired(Object command, String yaml, String... more) throws IOException {
        java.nio.file.Path f = Files.createTempFile("fullnat", ".yaml");
        try {
            Files.writeString(f, yaml);
            List<String> args = new java.util.ArrayList<>(List.of("-f", f.toString()));
            args.addAll(List.of(more));
            return Commands.run(command, Commands.args(director, stateDir, args.toArray(String[]::new)));
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void applyMakesAFullnatServiceFromAFileAndDiffAndExportReadItBack() throws IOException {
        try {
            applyAndReadBack();
        } finally {
            Commands.run(new DirectorTeardownCommand(), Commands.args(director, stateDir, "--fullnat", "--service",
                    "tcp:" + APPLY_VIP + ":80")).ok();
        }
    }

    private void applyAndReadBack() throws IOException {
        Commands.Result applied = desired(new ApplyCommand(), file("fullnat")).ok();
        assertTrue(applied.out().startsWith("+ fullnat TCP " + APPLY_VIP + ":80 snat 10.3.0.21\n+ TCP " + APPLY_VIP
                + ":80 rr\n"), applied.out());
        rs1.peers.clear();
        rs2.peers.clear();
        Map<String, Integer> seen = new java.util.TreeMap<>();
        for (int i = 0; i < 4; i++) {
            seen.merge(Http.get(client, addr(APPLY_VIP)), 1, Integer::sum);
        }
        assertEquals(Map.of("rs1", 2, "rs2", 2), seen);
        assertEquals(Set.of(addr("10.3.0.21")), rs1.peers, "the file's SNAT address");
        assertEquals(Set.of(addr("10.3.0.21")), rs2.peers);
        assertEquals(0, desired(new DiffCommand(), file("fullnat")).exitCode(), "the kernel is what the file says");
        Commands.Result export = Commands.run(new ExportCommand(), "--netns", director).ok();
        assertTrue(export.out().contains("    address: " + APPLY_VIP + "\n    port: 80\n    scheduler: rr\n"
                + "    forwarding: fullnat\n    snatAddresses:\n      - 10.3.0.21\n"), export.out());
        Commands.Result nat = desired(new ApplyCommand(), file("nat")).ok();
        assertEquals("- fullnat TCP " + APPLY_VIP + ":80\n", nat.out(), "NAT: the rule goes, the service stays");
        assertFalse(nft(director).contains(APPLY_VIP), nft(director));
    }

    @Test
    void aRealServerTheDirectorCannotReachIsNamed() throws IOException {
        Topology.ip("-n", director, "route", "replace", "unreachable", "10.8.0.0/24");
        ServiceKey key = service("rr", 1, 1);
        ipvs.addDestination(key, Destination.of(addr("10.8.0.5"), 80).withForwarding(ForwardingMethod.MASQ).withWeight(0));
        Commands.Result status = Commands.run(new DirectorStatusCommand(), Commands.args(director, stateDir, "--fullnat",
                "--service", "tcp:" + VIP + ":80")).ok();
        assertTrue(status.out().contains("  warning  real server 10.8.0.5: this host has no route to it\n"), status.out());
        assertFalse(status.out().contains("10.4.0.11: this host"), status.out());
        try {
            Commands.Result applied = desired(new ApplyCommand(), file("fullnat", "[ { address: 10.8.0.5 } ]")).ok();
            assertEquals("apply: warning: TCP " + APPLY_VIP + ":80: real server 10.8.0.5: this host has no route to it\n",
                    applied.err());
        } finally {
            Commands.run(new DirectorTeardownCommand(), Commands.args(director, stateDir, "--fullnat", "--service",
                    "tcp:" + APPLY_VIP + ":80")).ok();
        }
    }

    @Test
    void setupTwiceChangesNothingAndTeardownLeavesNoRuleAndRestoresTheSysctls() {
        Commands.Result again = Commands.run(new DirectorSetupCommand(), Commands.args(director, stateDir, "--fullnat",
                "--service", "tcp:" + VIP + ":80")).ok();
        assertTrue(again.out().contains("nothing to do"), again.out());
        Commands.run(new DirectorTeardownCommand(), Commands.args(director, stateDir, "--fullnat")).ok();
        assertEquals("", nft(director), "no table inet jipvs left");
        assertEquals(0, read(director, "net/ipv4/vs/conntrack"), "vs.conntrack restored");
        assertEquals(0, read(director, "net/ipv4/ip_forward"), "forwarding restored");
        assertEquals(1, Commands.run(new DirectorStatusCommand(), Commands.args(director, stateDir, "--fullnat",
                "--service", "tcp:" + VIP + ":80")).exitCode());
        setUp("tcp:" + VIP + ":80");
    }

    @AfterAll
    void stopNat() {
        if (rs3 != null) {
            rs3.close();
        }
    }
}

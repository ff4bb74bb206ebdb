package io.jipvs.control.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.control.fullnat.SnatTable;
import io.jipvs.model.Addresses;
import io.jipvs.netlink.route.InterfaceAddress;
import io.jipvs.netlink.route.Link;
import io.jipvs.netlink.route.Rtnetlink;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Plans as pure functions: a fake host is a list of links, addresses and sysctl values. */
class PlannerTest {
    static final Link LO = new Link(1, "lo", Rtnetlink.IFF_UP | Rtnetlink.IFF_LOOPBACK, 772, 65536, "");
    static final Link ETH0 = new Link(2, "eth0", Rtnetlink.IFF_UP, 1, 1500, "veth");
    static final Link TUNL0_DOWN = new Link(3, "tunl0", Rtnetlink.IFF_NOARP, 768, 1480, "ipip");

    static InetAddress ip(String s) {
        return Addresses.literal(s);
    }

    static Map<String, Integer> defaults(String... devices) {
        Map<String, Integer> m = new HashMap<>();
        for (String d : devices) {
            m.put("net/ipv4/conf/" + d + "/arp_ignore", 0);
            m.put("net/ipv4/conf/" + d + "/arp_announce", 0);
            m.put("net/ipv4/conf/" + d + "/rp_filter", d.equals("all") ? 0 : 1);
        }
        m.put("net/ipv4/conf/all/rp_filter", 1);
        m.put(Requirement.IP_FORWARD, 0);
        m.put(Requirement.IPV6_FORWARDING, 0);
        return m;
    }

    static List<String> described(Plan p) {
        return p.steps().stream().map(Step::describe).toList();
    }

    @Test
    void drSetupOnAFreshHostSetsArpBeforeTheVip() {
        Observed o = new Observed(List.of(LO, ETH0), List.of(), defaults("all", "default", "lo", "eth0"));
        Plan p = Planner.setup(o, State.EMPTY, List.of(ip("10.0.0.100")), Mode.DR, null);
        assertEquals(List.of(
                "set net.ipv4.conf.all.arp_ignore = 1 (was 0)",
                "set net.ipv4.conf.all.arp_announce = 2 (was 0)",
                "set net.ipv4.conf.lo.arp_ignore = 1 (was 0)",
                "set net.ipv4.conf.lo.arp_announce = 2 (was 0)",
                "add address 10.0.0.100/32 dev lo scope host"), described(p));
        assertEquals(List.of(new State.VipRecord(ip("10.0.0.100"), Mode.DR, "lo", true)), p.newState().vips());
        assertEquals(4, p.newState().sysctls().size());
        assertTrue(p.newState().links().isEmpty());
    }

    @Test
    void secondSetupIsEmptyAndIpv6NeedsNoSysctl() {
        Map<String, Integer> after = defaults("all", "default", "lo", "eth0");
        after.put("net/ipv4/conf/all/arp_ignore", 1);
        after.put("net/ipv4/conf/all/arp_announce", 2);
        after.put("net/ipv4/conf/lo/arp_ignore", 1);
        after.put("net/ipv4/conf/lo/arp_announce", 2);
        InterfaceAddress vip = InterfaceAddress.host(1, ip("10.0.0.100"), 0x80, 254);
        Observed o = new Observed(List.of(LO, ETH0), List.of(vip), after);
        State s = new State(List.of(new State.VipRecord(ip("10.0.0.100"), Mode.DR, "lo", true)),
                List.of(new State.SysctlRecord("net/ipv4/conf/all/arp_ignore", 0, 1)), List.of());
        Plan again = Planner.setup(o, s, List.of(ip("10.0.0.100")), Mode.DR, null);
        assertTrue(again.isEmpty());
        assertEquals(s, again.newState());

        Plan v6 = Planner.setup(o, s, List.of(ip("fd00::100")), Mode.DR, null);
        assertEquals(List.of("add address fd00::100/128 dev lo nodad"), described(v6));
    }

    @Test
    void tunSetupCreatesTunl0WhenMissingAndBringsItUp() {
        Observed o = new Observed(List.of(LO, ETH0), List.of(), defaults("all", "default", "lo", "eth0"));
        Plan p = Planner.setup(o, State.EMPTY, List.of(ip("10.0.0.101")), Mode.TUN, null);
        assertEquals(List.of(
                "create link tunl0 (type ipip)",
                "set net.ipv4.conf.all.arp_ignore = 1 (was 0)",
                "set net.ipv4.conf.all.arp_announce = 2 (was 0)",
                "set net.ipv4.conf.all.rp_filter = 0 (was 1)",
                "set net.ipv4.conf.tunl0.arp_ignore = 1",
                "set net.ipv4.conf.tunl0.arp_announce = 2",
                "set net.ipv4.conf.tunl0.rp_filter = 0",
                "set link tunl0 up",
                "add address 10.0.0.101/32 dev tunl0"), described(p));
        assertEquals(List.of(new State.LinkRecord("tunl0", true, true)), p.newState().links());

        // The applier read 0/0/1 on the new tunl0, and the kernel had made tunl0 itself.
        Applier.Result r = new Applier.Result(Map.of("net/ipv4/conf/tunl0/rp_filter", 1,
                "net/ipv4/conf/tunl0/arp_ignore", 0, "net/ipv4/conf/tunl0/arp_announce", 0,
                "net/ipv4/conf/all/rp_filter", 1), Set.of("tunl0"));
        State s = p.stateAfter(r, State.EMPTY);
        assertEquals(new State.SysctlRecord("net/ipv4/conf/tunl0/rp_filter", 1, 0),
                s.sysctl("net/ipv4/conf/tunl0/rp_filter").orElseThrow());
        assertEquals(List.of(new State.LinkRecord("tunl0", false, true)), s.links());
    }

    @Test
    void tunSetupOnAnExistingDownTunl0() {
        Observed o = new Observed(List.of(LO, ETH0, TUNL0_DOWN), List.of(), defaults("all", "default", "lo", "eth0", "tunl0"));
        Plan p = Planner.setup(o, State.EMPTY, List.of(ip("10.0.0.101")), Mode.TUN, null);
        assertTrue(described(p).contains("set link tunl0 up"));
        assertTrue(described(p).contains("set net.ipv4.conf.tunl0.rp_filter = 0 (was 1)"));
        assertEquals(List.of(new State.LinkRecord("tunl0", false, true)), p.newState().links());
    }

    @Test
    void refusesWhatWouldBreakTheHost() {
        Map<String, Integer> sys = defaults("all", "default", "lo", "eth0");
        Observed wide = new Observed(List.of(LO, ETH0),
                List.of(new InterfaceAddress(1, ip("10.0.0.100"), 24, 0x80, 0)), sys);
        PlanException e = assertThrows(PlanException.class,
                () -> Planner.setup(wide, State.EMPTY, List.of(ip("10.0.0.100")), Mode.DR, null));
        assertEquals("VIP 10.0.0.100 is on lo as 10.0.0.100/24; it must be a /32 (remove it first)", e.getMessage());

        Observed director = new Observed(List.of(LO, ETH0),
                List.of(InterfaceAddress.host(2, ip("10.0.0.100"), 0x80, 0)), sys);
        e = assertThrows(PlanException.class,
                () -> Planner.setup(director, State.EMPTY, List.of(ip("10.0.0.100")), Mode.DR, null));
        assertTrue(e.getMessage().startsWith("VIP 10.0.0.100 is configured on eth0"), e.getMessage());

        Observed o = new Observed(List.of(LO, ETH0), List.of(), sys);
        assertThrows(PlanException.class, () -> Planner.setup(o, State.EMPTY, List.of(ip("fd00::1")), Mode.TUN, null));
        assertEquals("no such device dummy7",
                assertThrows(PlanException.class,
                        () -> Planner.setup(o, State.EMPTY, List.of(ip("10.0.0.1")), Mode.DR, "dummy7")).getMessage());
        State dr = new State(List.of(new State.VipRecord(ip("10.0.0.100"), Mode.DR, "lo", true)), List.of(), List.of());
        assertThrows(PlanException.class, () -> Planner.setup(o, dr, List.of(ip("10.0.0.100")), Mode.TUN, null));
    }

    /** The record alone never means "done": a known VIP missing from its device is added again. */
    @Test
    void setupAddsAKnownVipAgainWhenItIsMissingFromTheHost() {
        Map<String, Integer> after = defaults("all", "default", "lo", "eth0");
        after.put("net/ipv4/conf/all/arp_ignore", 1);
        after.put("net/ipv4/conf/all/arp_announce", 2);
        after.put("net/ipv4/conf/lo/arp_ignore", 1);
        after.put("net/ipv4/conf/lo/arp_announce", 2);
        Observed removedByHand = new Observed(List.of(LO, ETH0), List.of(), after);
        State.SysctlRecord arp = new State.SysctlRecord("net/ipv4/conf/all/arp_ignore", 0, 1);
        State s = new State(List.of(new State.VipRecord(ip("10.0.0.100"), Mode.DR, "lo", true),
                new State.VipRecord(ip("10.0.0.102"), Mode.DR, "lo", false)), List.of(arp), List.of());

        Plan again = Planner.setup(removedByHand, s, List.of(ip("10.0.0.100")), Mode.DR, null);
        assertEquals(List.of("add address 10.0.0.100/32 dev lo scope host"), described(again));
        assertEquals(List.of("VIP 10.0.0.100 was set up before but is missing from lo: adding it again"), again.notes());
        assertEquals(s, again.newState());

        // One that was there before setup, and is gone now: jipvs adds it, so teardown removes it.
        Plan present = Planner.setup(removedByHand, s, List.of(ip("10.0.0.102")), Mode.DR, null);
        assertEquals(List.of("add address 10.0.0.102/32 dev lo scope host"), described(present));
        assertEquals(new State.VipRecord(ip("10.0.0.102"), Mode.DR, "lo", true),
                present.newState().vip(ip("10.0.0.102")).orElseThrow());
        assertEquals(2, present.newState().vips().size());
    }

    /** A teardown killed half-way is finished by running it again, without false alarms. */
    @Test
    void teardownIsQuietAboutAValueAlreadyBackWhereItWas() {
        Observed restored = new Observed(List.of(LO, ETH0), List.of(), defaults("all", "default", "lo", "eth0"));
        State s = new State(List.of(new State.VipRecord(ip("10.0.0.100"), Mode.DR, "lo", true)),
                List.of(new State.SysctlRecord("net/ipv4/conf/all/arp_ignore", 0, 1)), List.of());
        Plan p = Planner.teardown(restored, s, List.of(ip("10.0.0.100")), null);
        assertTrue(p.isEmpty());
        assertEquals(List.of("VIP 10.0.0.100 is already gone from lo"), p.notes());
        assertTrue(p.newState().isEmpty());
    }

    @Test
    void teardownRestoresSharedSysctlsOnlyWithTheLastVip() {
        Map<String, Integer> sys = defaults("all", "default", "lo", "eth0");
        sys.put("net/ipv4/conf/all/arp_ignore", 1);
        sys.put("net/ipv4/conf/all/arp_announce", 2);
        List<InterfaceAddress> addrs = List.of(InterfaceAddress.host(1, ip("10.0.0.100"), 0x80, 254),
                InterfaceAddress.host(1, ip("10.0.0.102"), 0x80, 254));
        Observed o = new Observed(List.of(LO, ETH0), addrs, sys);
        State s = new State(List.of(new State.VipRecord(ip("10.0.0.100"), Mode.DR, "lo", true),
                new State.VipRecord(ip("10.0.0.102"), Mode.DR, "lo", true)),
                List.of(new State.SysctlRecord("net/ipv4/conf/all/arp_ignore", 0, 1),
                        new State.SysctlRecord("net/ipv4/conf/all/arp_announce", 0, 2)), List.of());

        Plan one = Planner.teardown(o, s, List.of(ip("10.0.0.100")), null);
        assertEquals(List.of("delete address 10.0.0.100/32 dev lo"), described(one));
        assertEquals(s.sysctls(), one.newState().sysctls());

        Plan both = Planner.teardown(o, s, List.of(ip("10.0.0.100"), ip("10.0.0.102")), Mode.DR);
        assertEquals(List.of("delete address 10.0.0.100/32 dev lo", "delete address 10.0.0.102/32 dev lo",
                "set net.ipv4.conf.all.arp_announce = 0 (was 2)", "set net.ipv4.conf.all.arp_ignore = 0 (was 1)"),
                described(both));
        assertTrue(both.newState().isEmpty());

        // Someone set arp_announce to 1 since: left alone, and said so.
        sys.put("net/ipv4/conf/all/arp_announce", 1);
        Plan changed = Planner.teardown(new Observed(List.of(LO, ETH0), addrs, sys), s,
                List.of(ip("10.0.0.100"), ip("10.0.0.102")), null);
        assertEquals(3, changed.steps().size());
        assertEquals(List.of("net.ipv4.conf.all.arp_announce left at 1: changed since setup set it to 2"), changed.notes());

        assertThrows(PlanException.class, () -> Planner.teardown(o, s, List.of(ip("10.0.0.100")), Mode.TUN));
        Plan unknown = Planner.teardown(o, s, List.of(ip("10.9.9.9")), null);
        assertTrue(unknown.isEmpty());
        assertEquals(s, unknown.newState());
    }

    @Test
    void tunTeardownDeletesOnlyALinkItCreatedAndAfterEverythingElse() {
        Link tunl0Up = new Link(3, "tunl0", Rtnetlink.IFF_UP | Rtnetlink.IFF_NOARP, 768, 1480, "ipip");
        Map<String, Integer> sys = defaults("all", "default", "lo", "eth0", "tunl0");
        sys.put("net/ipv4/conf/all/rp_filter", 0);
        sys.put("net/ipv4/conf/tunl0/rp_filter", 0);
        Observed o = new Observed(List.of(LO, ETH0, tunl0Up),
                List.of(InterfaceAddress.host(3, ip("10.0.0.101"), 0x80, 0)), sys);
        List<State.SysctlRecord> recorded = List.of(new State.SysctlRecord("net/ipv4/conf/all/rp_filter", 1, 0),
                new State.SysctlRecord("net/ipv4/conf/tunl0/rp_filter", 1, 0));
        State created = new State(List.of(new State.VipRecord(ip("10.0.0.101"), Mode.TUN, "tunl0", true)), recorded,
                List.of(new State.LinkRecord("tunl0", true, true)));
        assertEquals(List.of("delete address 10.0.0.101/32 dev tunl0", "set net.ipv4.conf.all.rp_filter = 1 (was 0)",
                "delete link tunl0"), described(Planner.teardown(o, created, List.of(ip("10.0.0.101")), null)));

        State existing = new State(created.vips(), recorded, List.of(new State.LinkRecord("tunl0", false, true)));
        assertEquals(List.of("delete address 10.0.0.101/32 dev tunl0", "set net.ipv4.conf.tunl0.rp_filter = 1 (was 0)",
                "set net.ipv4.conf.all.rp_filter = 1 (was 0)", "set link tunl0 down"),
                described(Planner.teardown(o, existing, List.of(ip("10.0.0.101")), null)));
    }

    @Test
    void directorSetupAndTeardown() {
        Observed o = new Observed(List.of(LO), List.of(), defaults("all"));
        Plan p = Planner.directorSetup(o, State.EMPTY, true);
        assertEquals(List.of("set net.ipv4.ip_forward = 1 (was 0)", "set net.ipv6.conf.all.forwarding = 1 (was 0)"),
                described(p));
        Map<String, Integer> on = new HashMap<>(defaults("all"));
        on.put(Requirement.IP_FORWARD, 1);
        on.put(Requirement.IPV6_FORWARDING, 1);
        Observed after = new Observed(List.of(LO), List.of(), on);
        assertTrue(Planner.directorSetup(after, p.newState(), true).isEmpty());
        assertEquals(List.of("set net.ipv4.ip_forward = 0 (was 1)", "set net.ipv6.conf.all.forwarding = 0 (was 1)"),
                described(Planner.directorTeardown(after, p.newState(), SnatTable.ABSENT)));
        assertTrue(Checks.allOk(Checks.natDirector(after, true)));
        assertEquals("  MISSING  net.ipv4.ip_forward = 1 (is 0; replies from NAT real servers are forwarded and"
                + " de-NATed by IPVS)", Checks.natDirector(o, false).get(0).line());
    }

    @Test
    void statusSaysExactlyWhatIsMissing() {
        Observed o = new Observed(List.of(LO, ETH0, TUNL0_DOWN), List.of(), defaults("all", "default", "lo", "eth0", "tunl0"));
        List<Checks.Check> checks = Checks.realServer(o, new State.VipRecord(ip("10.0.0.101"), Mode.TUN, "tunl0", false));
        List<String> missing = new ArrayList<>();
        checks.stream().filter(c -> !c.ok()).forEach(c -> missing.add(c.text()));
        assertEquals("VIP 10.0.0.101 on tunl0", missing.get(0));
        assertEquals("link tunl0 is up", missing.get(1));
        assertTrue(missing.contains("net.ipv4.conf.all.rp_filter = 0 (is 1; accept decapsulated packets whose source"
                + " is not routed via tunl0)"), missing.toString());
    }

    @Test
    void stateFileRoundTrips() {
        State s = new State(List.of(new State.VipRecord(ip("10.0.0.100"), Mode.DR, "lo", true),
                new State.VipRecord(ip("fd00::100"), Mode.DR, "lo", false)),
                List.of(new State.SysctlRecord("net/ipv4/conf/all/arp_ignore", 0, 1)),
                List.of(new State.LinkRecord("tunl0", true, true)));
        assertEquals(s, State.decode(s.encode()));
        assertTrue(s.encode().contains("vip fd00::100 dr lo present\n"), s.encode());
        assertThrows(IllegalArgumentException.class, () -> State.decode("vip 10.0.0.1 dr lo maybe\n"));
    }
}

package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.realserver.RsSetupCommand;
import io.jipvs.cli.realserver.RsStatusCommand;
import io.jipvs.cli.realserver.RsTeardownCommand;
import io.jipvs.it.lab.Exec;
import io.jipvs.netlink.sysctl.Sysctl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * rs-setup / rs-teardown / rs-status on a real kernel, each test in a fresh namespace "rs" with
 * an eth0 (a veth to a peer namespace). The kernel's view is read with ip(8) and /proc/sys, not
 * with the code under test.
 */
class RsSetupIT {
    private Topology topology;
    private String rs;
    private String dir;

    @BeforeEach
    void namespace() throws IOException {
        topology = new Topology("rsu");
        rs = topology.namespace("rs");
        String peer = topology.namespace("peer");
        topology.veth(rs, "eth0", peer, "eth0");
        dir = Files.createTempDirectory("jipvs-state").toString();
    }

    @AfterEach
    void cleanup() {
        topology.close();
    }

    private static final List<String> WATCHED = List.of("all/arp_ignore", "all/arp_announce", "all/rp_filter",
            "lo/arp_ignore", "lo/arp_announce", "tunl0/arp_ignore", "tunl0/arp_announce", "tunl0/rp_filter");

    private Map<String, String> sysctls() {
        return Topology.in(rs, () -> {
            Map<String, String> m = new LinkedHashMap<>();
            Sysctl s = new Sysctl();
            for (String k : WATCHED) {
                m.put(k, s.read("net/ipv4/conf/" + k).orElse("-"));
            }
            return m;
        });
    }

    private void set(String key, int value) {
        Topology.in(rs, () -> {
            new Sysctl().write("net/ipv4/conf/" + key, value);
            return null;
        });
    }

    private String addrs(String dev) {
        return Exec.run("ip", "-n", rs, "addr", "show", "dev", dev).orThrow().stdout();
    }

    private String link(String dev) {
        return Exec.run("ip", "-n", rs, "-d", "link", "show", dev).stdout();
    }

    private Commands.Result run(Object command, String... args) {
        return Commands.run(command, Commands.args(rs, dir, args));
    }

    @Test
    void drSetupIsIdempotentAndTeardownRestoresThePreviousValues() {
        // Unusual starting values, so that "restored" cannot be confused with "reset to 0".
        set("all/arp_announce", 1);
        set("lo/arp_ignore", 3);
        Map<String, String> before = sysctls();
        String loBefore = addrs("lo");

        Commands.Result setup = run(new RsSetupCommand(), "--vip", "10.0.0.100").ok();
        assertTrue(setup.out().contains("set net.ipv4.conf.all.arp_ignore = 1 (was 0)"), setup.out());
        assertTrue(addrs("lo").contains("inet 10.0.0.100/32 scope host lo"), addrs("lo"));
        Map<String, String> after = sysctls();
        assertEquals("1", after.get("all/arp_ignore"));
        assertEquals("2", after.get("all/arp_announce"));
        assertEquals("1", after.get("lo/arp_ignore"));
        assertEquals("2", after.get("lo/arp_announce"));
        assertEquals(0, run(new RsStatusCommand(), "--vip", "10.0.0.100").exitCode());

        String loAfter = addrs("lo");
        Commands.Result again = run(new RsSetupCommand(), "--vip", "10.0.0.100").ok();
        assertTrue(again.out().contains("nothing to do: already set up"), again.out());
        assertEquals(loAfter, addrs("lo"));
        assertEquals(after, sysctls());

        Commands.Result down = run(new RsTeardownCommand(), "--vip", "10.0.0.100").ok();
        assertTrue(down.out().contains("delete address 10.0.0.100/32 dev lo"), down.out());
        assertEquals(loBefore, addrs("lo"));
        assertEquals(before, sysctls());
        assertEquals("1", before.get("all/arp_announce"));
        try (var files = Files.list(Path.of(dir))) {
            assertEquals(0, files.filter(f -> f.toString().endsWith(".state")).count(),
                    "state file removed once nothing is recorded");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Commands.Result status = run(new RsStatusCommand(), "--vip", "10.0.0.100");
        assertEquals(1, status.exitCode());
        assertTrue(status.out().contains("MISSING  VIP 10.0.0.100 on lo"), status.out());
        assertTrue(status.out().contains("MISSING  net.ipv4.conf.all.arp_ignore = 1 (is 0;"), status.out());
    }

    @Test
    void dryRunPrintsTheStepsAndChangesNothing() {
        Map<String, String> before = sysctls();
        Commands.Result dry = run(new RsSetupCommand(), "--vip", "10.0.0.100,10.0.0.102", "--dry-run").ok();
        assertTrue(dry.out().contains("would:\n  set net.ipv4.conf.all.arp_ignore = 1 (was 0)\n"), dry.out());
        assertTrue(dry.out().contains("  add address 10.0.0.102/32 dev lo scope host\ndry run: nothing changed"), dry.out());
        assertFalse(addrs("lo").contains("10.0.0.10"), addrs("lo"));
        assertEquals(before, sysctls());
    }

    @Test
    void ipv6DrVipIsAUsableHostAddressAndGoesAway() {
        run(new RsSetupCommand(), "--vip", "fd00::100").ok();
        String lo = addrs("lo");
        assertTrue(lo.contains("inet6 fd00::100/128 scope global"), lo);
        assertFalse(lo.contains("tentative"), lo);
        assertEquals(0, run(new RsStatusCommand()).exitCode());
        assertTrue(run(new RsSetupCommand(), "--vip", "fd00::100").ok().out().contains("nothing to do"));
        run(new RsTeardownCommand(), "--vip", "fd00::100").ok();
        assertFalse(addrs("lo").contains("fd00::100"), addrs("lo"));
    }

    @Test
    void tunSetupUsesTunl0AndTeardownPutsItBack() {
        set("all/rp_filter", 2);
        set("tunl0/rp_filter", 1);
        Map<String, String> before = sysctls();
        assertFalse(link("tunl0").contains(",UP"), link("tunl0"));

        run(new RsSetupCommand(), "--vip", "10.0.0.101", "--mode", "tun").ok();
        assertTrue(link("tunl0").contains(",UP"), link("tunl0"));
        assertTrue(addrs("tunl0").contains("inet 10.0.0.101/32 scope global tunl0"), addrs("tunl0"));
        Map<String, String> after = sysctls();
        assertEquals("0", after.get("all/rp_filter"));
        assertEquals("0", after.get("tunl0/rp_filter"));
        assertEquals("1", after.get("tunl0/arp_ignore"));

        run(new RsTeardownCommand(), "--vip", "10.0.0.101", "--mode", "tun").ok();
        assertFalse(link("tunl0").contains(",UP"), link("tunl0"));
        assertFalse(addrs("tunl0").contains("10.0.0.101"), addrs("tunl0"));
        assertEquals(before, sysctls());
    }

    /**
     * With net.core.fb_tunnels_only_for_init_net=1 a new namespace gets no tunl0 although ipip
     * is loaded: rs-setup then creates an ipip link named tunl0 itself, and teardown deletes it.
     */
    @Test
    void tunSetupCreatesTunl0WhereTheKernelGaveNone() throws IOException {
        Path knob = Path.of("/proc/sys/net/core/fb_tunnels_only_for_init_net");
        String old = Files.readString(knob).strip();
        String bare;
        Files.writeString(knob, "1");
        try {
            bare = topology.namespace("bare");
        } finally {
            Files.writeString(knob, old);
        }
        assertFalse(Exec.run("ip", "-n", bare, "link", "show", "tunl0").exitCode() == 0, "no tunl0 expected");
        Commands.Result setup = Commands.run(new RsSetupCommand(), Commands.args(bare, dir, "--vip", "10.0.0.101",
                "--mode", "tun")).ok();
        assertTrue(setup.out().contains("create link tunl0 (type ipip)"), setup.out());
        String link = Exec.run("ip", "-n", bare, "-d", "link", "show", "tunl0").orThrow().stdout();
        assertTrue(link.contains(",UP") && link.contains("ipip"), link);
        Commands.run(new RsTeardownCommand(), Commands.args(bare, dir, "--all")).ok();
        assertFalse(Exec.run("ip", "-n", bare, "link", "show", "tunl0").exitCode() == 0, "tunl0 deleted");
    }

    /**
     * An IPv4-mapped IPv6 address (::ffff:a.b.c.d) anywhere on the host once broke every helper:
     * the address dump read it back as the IPv4 address with prefix 128 and failed.
     */
    @Test
    void anIpv4MappedIpv6AddressOnTheHostBreaksNothing() {
        Exec.run("ip", "-n", rs, "-6", "addr", "add", "::ffff:10.9.9.9/128", "dev", "eth0", "nodad").orThrow();
        assertTrue(addrs("eth0").contains("inet6 ::ffff:10.9.9.9/128"), addrs("eth0"));

        Commands.Result before = run(new RsStatusCommand(), "--vip", "10.0.0.100");
        assertEquals(1, before.exitCode(), before.err());
        assertTrue(before.out().contains("MISSING  VIP 10.0.0.100 on lo"), before.out() + before.err());
        run(new RsSetupCommand(), "--vip", "10.0.0.100").ok();
        assertEquals(0, run(new RsStatusCommand(), "--vip", "10.0.0.100").exitCode());
        run(new RsTeardownCommand(), "--vip", "10.0.0.100").ok();
        assertTrue(addrs("eth0").contains("inet6 ::ffff:10.9.9.9/128"), "not ours to remove: " + addrs("eth0"));
    }

    @Test
    void refusesAVipTheHostHoldsOnAnotherDevice() {
        Exec.run("ip", "-n", rs, "addr", "add", "10.0.0.100/24", "dev", "eth0").orThrow();
        Map<String, String> before = sysctls();
        Commands.Result r = run(new RsSetupCommand(), "--vip", "10.0.0.100");
        assertEquals(1, r.exitCode());
        assertEquals("rs-setup: VIP 10.0.0.100 is configured on eth0; a real server must hold it only on lo"
                + " (is this the director?) (nothing was changed)\n", r.err());
        assertEquals(before, sysctls());
    }
}

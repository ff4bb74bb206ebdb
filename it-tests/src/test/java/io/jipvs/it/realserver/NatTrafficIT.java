package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.realserver.DirectorSetupCommand;
import io.jipvs.cli.realserver.DirectorStatusCommand;
import io.jipvs.cli.realserver.DirectorTeardownCommand;
import io.jipvs.model.ForwardingMethod;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NAT: client 10.1.0.10 routes via the director (10.1.0.1, VIP 10.1.0.100); the real servers
 * 10.2.0.11/.12 sit behind it on their own segment with the director (10.2.0.1) as gateway.
 * director-setup --nat turns forwarding on, without which the replies would be dropped.
 */
class NatTrafficIT extends TrafficTest {
    static final String VIP = "10.1.0.100";
    private String stateDir;

    @Override
    protected List<String> build() {
        client = topology.namespace("cl");
        director = topology.namespace("lb");
        String sw = topology.namespace("sw");
        String rs1 = topology.namespace("rs1");
        String rs2 = topology.namespace("rs2");
        topology.veth(client, "eth0", director, "eth0");
        topology.veth(director, "eth1", sw, "p-lb");
        topology.veth(rs1, "eth0", sw, "p-rs1");
        topology.veth(rs2, "eth0", sw, "p-rs2");
        topology.bridge(sw, "br0", "p-lb", "p-rs1", "p-rs2");
        topology.address(client, "eth0", "10.1.0.10/24");
        topology.defaultRoute(client, "10.1.0.1");
        topology.address(director, "eth0", "10.1.0.1/24");
        topology.address(director, "eth0", VIP + "/32");
        topology.address(director, "eth1", "10.2.0.1/24");
        topology.address(rs1, "eth0", "10.2.0.11/24");
        topology.address(rs2, "eth0", "10.2.0.12/24");
        topology.defaultRoute(rs1, "10.2.0.1");
        topology.defaultRoute(rs2, "10.2.0.1");
        try {
            stateDir = Files.createTempDirectory("jipvs-state").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // New namespaces inherit IPv4 settings from the initial one, where the lab's dockerd
        // turned forwarding on: start from the kernel default so that the test shows the change.
        Topology.in(director, () -> {
            new io.jipvs.netlink.sysctl.Sysctl().write("net/ipv4/ip_forward", 0);
            return null;
        });
        Commands.Result status = Commands.run(new DirectorStatusCommand(), Commands.args(director, stateDir, "--nat"));
        assertEquals(1, status.exitCode(), status.out());
        assertTrue(status.out().contains("MISSING  net.ipv4.ip_forward = 1 (is 0;"), status.out());
        Commands.run(new DirectorSetupCommand(), Commands.args(director, stateDir, "--nat")).ok();
        Commands.run(new DirectorStatusCommand(), Commands.args(director, stateDir, "--nat")).ok();
        return List.of(rs1, rs2);
    }

    @Override
    protected InetAddress vip() {
        return addr(VIP);
    }

    @Override
    protected InetAddress rip(int n) {
        return addr("10.2.0.1" + n);
    }

    @Override
    protected ForwardingMethod forwarding() {
        return ForwardingMethod.MASQ;
    }

    /** Undo and redo, leaving forwarding on for the traffic tests whatever the order. */
    @Test
    void directorTeardownRestoresForwardingAndSetupIsIdempotent() {
        Commands.Result again = Commands.run(new DirectorSetupCommand(), Commands.args(director, stateDir, "--nat")).ok();
        assertTrue(again.out().contains("nothing to do"), again.out());
        Commands.run(new DirectorTeardownCommand(), Commands.args(director, stateDir, "--nat")).ok();
        assertEquals(1, Commands.run(new DirectorStatusCommand(), Commands.args(director, stateDir, "--nat")).exitCode());
        Commands.run(new DirectorSetupCommand(), Commands.args(director, stateDir, "--nat")).ok();
    }
}

package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.realserver.RsSetupCommand;
import io.jipvs.cli.realserver.RsStatusCommand;
import io.jipvs.model.ForwardingMethod;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.List;

/**
 * IP-in-IP: the director encapsulates to the real servers' own addresses; they decapsulate on
 * tunl0 (prepared by rs-setup --mode tun: VIP on tunl0, tunl0 up, rp_filter 0) and answer the
 * client directly.
 */
class TunTrafficIT extends TrafficTest {
    static final String VIP = "10.0.0.101";

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
                Commands.run(new RsSetupCommand(), Commands.args(rs, dir, "--vip", VIP, "--mode", "tun")).ok();
                String status = Commands.run(new RsStatusCommand(), Commands.args(rs, dir)).ok().out();
                assertTrue(status.startsWith("VIP 10.0.0.101 (tun on tunl0, set up by jipvs): ready"), status);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return List.of(rs1, rs2);
    }

    @Override
    protected InetAddress vip() {
        return DrTrafficIT.addr(VIP);
    }

    @Override
    protected InetAddress rip(int n) {
        return DrTrafficIT.addr("10.0.0.1" + n);
    }

    @Override
    protected ForwardingMethod forwarding() {
        return ForwardingMethod.TUNNEL;
    }
}

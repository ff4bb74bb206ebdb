package io.jipvs.it.realserver;


import io.jipvs.model.ForwardingMethod;
import java.net.InetAddress;
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
        return sharedSegment(VIP, "tun", "VIP 10.0.0.101 (tun on tunl0, set up by jipvs): ready");
    }

    @Override
    protected InetAddress vip() {
        return addr(VIP);
    }

    @Override
    protected ForwardingMethod forwarding() {
        return ForwardingMethod.TUNNEL;
    }
}

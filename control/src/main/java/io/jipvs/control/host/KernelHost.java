package io.jipvs.control.host;

import io.jipvs.control.fullnat.Nft;
import io.jipvs.control.fullnat.Snat;
import io.jipvs.control.fullnat.SnatTable;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.route.InterfaceAddress;
import io.jipvs.netlink.route.Link;
import io.jipvs.netlink.route.RouteClient;
import io.jipvs.netlink.route.Rtnetlink;
import io.jipvs.netlink.sysctl.Sysctl;
import io.jipvs.netlink.sysctl.SysctlException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The real host: rtnetlink for links and addresses, /proc/sys for sysctls. Must be created and
 * used on a thread inside the target network namespace (sysctl files resolve per opening thread).
 */
public final class KernelHost implements Host, AutoCloseable {
    private static final String[] CONF_KEYS = {"arp_ignore", "arp_announce", "rp_filter"};

    private final RouteClient route;
    private final Sysctl sysctl;
    private Nft nft;

    /**
     * A host reached through these clients.
     *
     * @param route  rtnetlink, in the target namespace
     * @param sysctl /proc/sys, read from a thread in the target namespace
     */
    public KernelHost(RouteClient route, Sysctl sysctl) {
        this.route = route;
        this.sysctl = sysctl;
    }

    /**
     * A host for the calling thread's network namespace.
     *
     * @return the host
     */
    public static KernelHost open() {
        return new KernelHost(RouteClient.open(), new Sysctl());
    }

    @Override
    public Observed observe() {
        List<Link> links = route.links();
        List<InterfaceAddress> addresses = route.addresses(Rtnetlink.AF_UNSPEC);
        Map<String, Integer> values = new HashMap<>();
        List<String> devices = new ArrayList<>(List.of("all", "default"));
        links.forEach(l -> devices.add(l.name()));
        for (String dev : devices) {
            for (String name : CONF_KEYS) {
                read(values, Sysctl.ipv4Conf(dev, name));
            }
        }
        read(values, Requirement.IP_FORWARD);
        read(values, Requirement.IPV6_FORWARDING);
        read(values, Requirement.VS_CONNTRACK);
        return new Observed(links, addresses, values);
    }

    private void read(Map<String, Integer> values, String key) {
        OptionalInt v = sysctl.readInt(key);
        v.ifPresent(i -> values.put(key, i));
    }

    @Override
    public boolean routable(InetAddress address) {
        return route.route(address).isPresent();
    }

    @Override
    public SnatTable snatTable() {
        return nft().list();
    }

    @Override
    public void setSnat(ServiceKey service, Optional<Snat> snat) {
        Nft nft = nft();
        nft.list().change(Map.of(service, snat)).ifPresent(nft::apply);
    }

    /** Found on first use: hosts without FULLNAT never need nft. */
    private Nft nft() {
        if (nft == null) {
            nft = Nft.find();
        }
        return nft;
    }

    @Override
    public int readSysctl(String key) {
        return sysctl.readInt(key).orElseThrow(() -> new SysctlException(Sysctl.dotted(key) + " does not exist", null));
    }

    @Override
    public void writeSysctl(String key, int value) {
        sysctl.write(key, value);
    }

    @Override
    public boolean createLink(String name, String kind) {
        try {
            route.createLink(name, kind);
            return true;
        } catch (NetlinkException e) {
            if (e.errno() == Errno.EEXIST && route.link(name).isPresent()) {
                return false;
            }
            if (e.errno() == Errno.EOPNOTSUPP) {
                throw new NetlinkException(e.operation(), e.errno(), e.getMessage()
                        + " (the kernel has no '" + kind + "' link type: is the module available?)", e.extendedAck());
            }
            throw e;
        }
    }

    @Override
    public void deleteLink(String name) {
        route.deleteLink(link(name));
    }

    @Override
    public void setLinkUp(String name, boolean up) {
        route.setUp(link(name), up);
    }

    @Override
    public void addAddress(String device, InterfaceAddress a) {
        route.addAddress(onLink(device, a), device);
    }

    @Override
    public void deleteAddress(String device, InterfaceAddress a) {
        route.deleteAddress(onLink(device, a), device);
    }

    private InterfaceAddress onLink(String device, InterfaceAddress a) {
        return new InterfaceAddress(link(device).index(), a.address(), a.prefixLength(), a.flags(), a.scope());
    }

    private Link link(String name) {
        return route.link(name).orElseThrow(() -> new NetlinkException("RTM_GETLINK " + name, Errno.ENODEV,
                "no such device " + name, null));
    }

    @Override
    public void close() {
        route.close();
    }
}

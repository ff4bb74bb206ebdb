package io.jipvs.control.host;

import io.jipvs.netlink.sysctl.Sysctl;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sysctl value a role needs, and which current values already satisfy it (so a stricter value
 * an operator chose is left alone).
 */
public record Requirement(String key, int target, String why) {

    /** IPv4 forwarding. */
    public static final String IP_FORWARD = "net/ipv4/ip_forward";
    /** IPv6 forwarding. */
    public static final String IPV6_FORWARDING = "net/ipv6/conf/all/forwarding";
    /** IPVS keeps netfilter's connection for what it forwards (IPv4 and IPv6 alike); ip_vs makes the entry. */
    public static final String VS_CONNTRACK = "net/ipv4/vs/conntrack";

    /**
     * Whether a current value already meets the requirement (arp_ignore 2 is stricter than 1).
     *
     * @param value the current value
     * @return true when nothing needs to change
     */
    public boolean satisfiedBy(int value) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return switch (name) {
            // 1: reply only for addresses on the receiving interface; 2 adds a subnet check.
            case "arp_ignore" -> value == 1 || value == 2;
            default -> value == target;
        };
    }

    /**
     * The key as sysctl(8) spells it.
     *
     * @return e.g. net.ipv4.conf.all.arp_ignore
     */
    public String dotted() {
        return Sysctl.dotted(key);
    }

    /**
     * The device a net/ipv4/conf/DEV/... key belongs to.
     *
     * @param key a sysctl key
     * @return the device, or null for global keys, "all" and "default"
     */
    public static String device(String key) {
        String prefix = "net/ipv4/conf/";
        if (!key.startsWith(prefix)) {
            return null;
        }
        String rest = key.substring(prefix.length());
        String dev = rest.substring(0, rest.indexOf('/'));
        return dev.equals("all") || dev.equals("default") ? null : dev;
    }

    /**
     * What a real-server VIP needs, "all" before the device so ARP is quiet before the VIP
     * appears. IPv6 has no ARP and no rp_filter: an IPv6 VIP on lo is never advertised by
     * neighbour discovery on other interfaces, so it needs no sysctl.
     *
     * @param vip the VIP, its mode and device
     * @return the requirements, in the order to apply them
     */
    public static List<Requirement> forVip(State.VipRecord vip) {
        List<Requirement> out = new ArrayList<>();
        if (!(vip.vip() instanceof Inet4Address)) {
            return out;
        }
        String dev = vip.device();
        out.add(new Requirement(Sysctl.ipv4Conf("all", "arp_ignore"), 1,
                "answer ARP only for addresses on the receiving interface, never for the VIP"));
        out.add(new Requirement(Sysctl.ipv4Conf("all", "arp_announce"), 2,
                "never use the VIP as the sender address of ARP requests"));
        out.add(new Requirement(Sysctl.ipv4Conf(dev, "arp_ignore"), 1, "the VIP's device, as for all"));
        out.add(new Requirement(Sysctl.ipv4Conf(dev, "arp_announce"), 2, "the VIP's device, as for all"));
        if (vip.mode() == Mode.TUN) {
            // The effective rp_filter is max(all, dev); tunnelled packets arrive on tunl0 and
            // fail any reverse-path check there.
            out.add(new Requirement(Sysctl.ipv4Conf("all", "rp_filter"), 0,
                    "accept decapsulated packets whose source is not routed via tunl0"));
            out.add(new Requirement(Sysctl.ipv4Conf(Mode.TUNL0, "rp_filter"), 0,
                    "accept decapsulated packets whose source is not routed via tunl0"));
        }
        return out;
    }

    /**
     * The union of every VIP's requirements, each key once, in first-seen order, global keys first.
     *
     * @param vips the VIPs
     * @return the requirements
     */
    public static List<Requirement> forVips(List<State.VipRecord> vips) {
        Map<String, Requirement> byKey = new LinkedHashMap<>();
        for (State.VipRecord v : vips) {
            for (Requirement r : forVip(v)) {
                byKey.putIfAbsent(r.key(), r);
            }
        }
        // "all" keys first: the global switch must be in place before per-device ones.
        List<Requirement> out = new ArrayList<>();
        byKey.values().stream().filter(r -> device(r.key()) == null).forEach(out::add);
        byKey.values().stream().filter(r -> device(r.key()) != null).forEach(out::add);
        return out;
    }

    /**
     * Links a VIP needs up: its device, and tunl0 for TUN.
     *
     * @param vip the VIP
     * @return the link names
     */
    public static List<String> linksFor(State.VipRecord vip) {
        List<String> out = new ArrayList<>();
        if (vip.mode() == Mode.TUN) {
            out.add(Mode.TUNL0);
        }
        if (!out.contains(vip.device())) {
            out.add(vip.device());
        }
        return out;
    }

    /**
     * What a NAT director needs.
     *
     * @param ipv6 IPv6 services too
     * @return the requirements
     */
    public static List<Requirement> forNatDirector(boolean ipv6) {
        List<Requirement> out = new ArrayList<>();
        out.add(new Requirement(IP_FORWARD, 1, "replies from NAT real servers are forwarded and de-NATed by IPVS"));
        if (ipv6) {
            out.add(new Requirement(IPV6_FORWARDING, 1, "the same for IPv6 services"));
        }
        return out;
    }

    /**
     * What a FULLNAT director needs for a service of one family: forwarding, and IPVS keeping
     * netfilter's connection so the source NAT rule sees (and reverses) what IPVS forwards. Set
     * before traffic: connections IPVS made while it was 0 are never NATed.
     *
     * @param ipv6 an IPv6 service
     * @return the requirements, in the order to apply them
     */
    public static List<Requirement> forFullnatDirector(boolean ipv6) {
        List<Requirement> out = new ArrayList<>();
        out.add(ipv6 ? new Requirement(IPV6_FORWARDING, 1, "IPVS forwards IPv6 FULLNAT connections")
                : new Requirement(IP_FORWARD, 1, "IPVS forwards FULLNAT connections"));
        out.add(new Requirement(VS_CONNTRACK, 1, "netfilter must track what IPVS forwards, or the SNAT rule never sees it"));
        return out;
    }
}

package io.jipvs.netlink.route;

import java.util.Objects;

/**
 * A network interface as RTM_NEWLINK reports it.
 *
 * @param index ifindex
 * @param name  IFLA_IFNAME
 * @param flags IFF_* flags (ifi_flags)
 * @param type  ARPHRD_* hardware type (ifi_type)
 * @param mtu   IFLA_MTU, 0 when absent
 * @param kind  IFLA_INFO_KIND ("ipip", "veth", "dummy"...), empty for links without one (lo)
 */
public record Link(int index, String name, int flags, int type, int mtu, String kind) {

    /**
     * Checks the values; a null kind is empty.
     *
     * @param index ifindex
     * @param name  IFLA_IFNAME
     * @param flags IFF_* flags
     * @param type  ARPHRD_* hardware type
     * @param mtu   IFLA_MTU, 0 when absent
     * @param kind  IFLA_INFO_KIND, null or empty for none
     * @throws NullPointerException without a name
     */
    public Link {
        Objects.requireNonNull(name, "name");
        kind = kind == null ? "" : kind;
    }

    /**
     * Administratively up (IFF_UP).
     *
     * @return true when up
     */
    public boolean up() {
        return (flags & Rtnetlink.IFF_UP) != 0;
    }

    /**
     * The loopback device (IFF_LOOPBACK).
     *
     * @return true for lo
     */
    public boolean loopback() {
        return (flags & Rtnetlink.IFF_LOOPBACK) != 0;
    }
}

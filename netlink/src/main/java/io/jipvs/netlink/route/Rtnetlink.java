package io.jipvs.netlink.route;

/**
 * Constants of include/uapi/linux/rtnetlink.h, if_link.h, if_addr.h and if.h that the route
 * client uses, under their kernel names.
 */
public final class Rtnetlink {
    private Rtnetlink() {
    }

    /** Creates or changes a link; also the type of link replies. */
    public static final int RTM_NEWLINK = 16;
    /** Deletes a link. */
    public static final int RTM_DELLINK = 17;
    /** Gets one link, or dumps all. */
    public static final int RTM_GETLINK = 18;
    /** Adds an address; also the type of address replies. */
    public static final int RTM_NEWADDR = 20;
    /** Deletes an address. */
    public static final int RTM_DELADDR = 21;
    /** Dumps addresses. */
    public static final int RTM_GETADDR = 22;

    /** A route; also the type of route replies. */
    public static final int RTM_NEWROUTE = 24;
    /** Looks up the route the kernel would take to an address (ip route get). */
    public static final int RTM_GETROUTE = 26;
    /** struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags. */
    public static final int RTMSG_LEN = 12;
    /** Route attribute: the destination. */
    public static final int RTA_DST = 1;
    /** Route attribute: the output interface's index. */
    public static final int RTA_OIF = 4;
    /** Route attribute: the next hop. */
    public static final int RTA_GATEWAY = 5;
    /** Route attribute: the source address the kernel would pick. */
    public static final int RTA_PREFSRC = 7;
    /** Route type: an address of this host. */
    public static final int RTN_LOCAL = 2;

    /** struct ifinfomsg: family, pad, type, index, flags, change. */
    public static final int IFINFOMSG_LEN = 16;
    /** struct ifaddrmsg: family, prefixlen, flags, scope, index. */
    public static final int IFADDRMSG_LEN = 8;

    /** Any family. */
    public static final int AF_UNSPEC = 0;
    /** IPv4. */
    public static final int AF_INET = 2;
    /** IPv6. */
    public static final int AF_INET6 = 10;

    // enum IFLA_*
    /** Link attribute: the name. */
    public static final int IFLA_IFNAME = 3;
    /** Link attribute: the MTU. */
    public static final int IFLA_MTU = 4;
    /** Link attribute: nested kind and kind-specific data. */
    public static final int IFLA_LINKINFO = 18;
    /** Inside IFLA_LINKINFO: the kind ("ipip", "dummy", ...). */
    public static final int IFLA_INFO_KIND = 1;

    // enum IFA_*
    /** Address attribute: the address (the peer on point-to-point links). */
    public static final int IFA_ADDRESS = 1;
    /** Address attribute: the local address. */
    public static final int IFA_LOCAL = 2;
    /** Address attribute: the label (IPv4). */
    public static final int IFA_LABEL = 3;
    /** Address attribute: all 32 bits of the flags. */
    public static final int IFA_FLAGS = 8;

    // ifa_flags
    /** No duplicate address detection (IPv6): usable at once. */
    public static final int IFA_F_NODAD = 0x02;
    /** Duplicate address detection still running: not usable yet. */
    public static final int IFA_F_TENTATIVE = 0x40;
    /** Configured, not autoconfigured. */
    public static final int IFA_F_PERMANENT = 0x80;

    // enum rt_scope_t
    /** Global scope. */
    public static final int RT_SCOPE_UNIVERSE = 0;
    /** Valid on the link only. */
    public static final int RT_SCOPE_LINK = 253;
    /** Valid inside this host only (like 127.0.0.1). */
    public static final int RT_SCOPE_HOST = 254;

    // net_device_flags
    /** Administratively up. */
    public static final int IFF_UP = 0x1;
    /** The loopback device. */
    public static final int IFF_LOOPBACK = 0x8;
    /** Operationally up. */
    public static final int IFF_RUNNING = 0x40;
    /** No ARP on this link. */
    public static final int IFF_NOARP = 0x80;
}

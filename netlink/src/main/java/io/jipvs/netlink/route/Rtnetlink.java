package io.jipvs.netlink.route;

/**
 * Constants of include/uapi/linux/rtnetlink.h, if_link.h, if_addr.h and if.h that the route
 * client uses, under their kernel names.
 */
public final class Rtnetlink {
    private Rtnetlink() {
    }

    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;

    /** struct ifinfomsg: family, pad, type, index, flags, change. */
    public static final int IFINFOMSG_LEN = 16;
    /** struct ifaddrmsg: family, prefixlen, flags, scope, index. */
    public static final int IFADDRMSG_LEN = 8;

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    // enum IFLA_*
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_INFO_KIND = 1;

    // enum IFA_*
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_FLAGS = 8;

    // ifa_flags
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_TENTATIVE = 0x40;
    public static final int IFA_F_PERMANENT = 0x80;

    // enum rt_scope_t
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;

    // net_device_flags
    public static final int IFF_UP = 0x1;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_NOARP = 0x80;
}

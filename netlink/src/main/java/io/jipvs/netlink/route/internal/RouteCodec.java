package io.jipvs.netlink.route.internal;

import io.jipvs.model.Addresses;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.internal.AttributeReader;
import io.jipvs.netlink.internal.AttributeWriter;
import io.jipvs.netlink.route.InterfaceAddress;
import io.jipvs.netlink.route.Link;
import io.jipvs.netlink.route.Route;
import io.jipvs.netlink.route.Rtnetlink;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Payloads of the rtnetlink messages jipvs sends and decodes: struct ifinfomsg / ifaddrmsg
 * followed by attributes. Pure functions, so the exact bytes are unit-tested.
 */
public final class RouteCodec {
    private RouteCodec() {
    }

    /** struct ifinfomsg followed by {@code attributes}. */
    public static byte[] ifinfomsg(int family, int index, int flags, int change, byte[] attributes) {
        return ByteBuffer.allocate(Rtnetlink.IFINFOMSG_LEN + attributes.length).order(ByteOrder.nativeOrder())
                .put((byte) family).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change)
                .put(attributes).array();
    }

    /** RTM_GETLINK for one link by name (ifi_index 0, IFLA_IFNAME). */
    public static byte[] getLinkByName(String name) {
        checkName(name);
        return ifinfomsg(Rtnetlink.AF_UNSPEC, 0, 0, 0, new AttributeWriter().string(Rtnetlink.IFLA_IFNAME, name)
                .toByteArray());
    }

    /** RTM_GETLINK for one link by index, or a dump request when index is 0. */
    public static byte[] getLinkByIndex(int index) {
        return ifinfomsg(Rtnetlink.AF_UNSPEC, index, 0, 0, new byte[0]);
    }

    /**
     * RTM_NEWLINK that changes only IFF_UP (ifi_change = IFF_UP), like "ip link set DEV up|down".
     */
    public static byte[] setLinkUp(int index, boolean up) {
        return ifinfomsg(Rtnetlink.AF_UNSPEC, index, up ? Rtnetlink.IFF_UP : 0, Rtnetlink.IFF_UP, new byte[0]);
    }

    /** RTM_NEWLINK creating a link of a kind ("ipip", "dummy"), with no kind-specific data. */
    public static byte[] newLink(String name, String kind) {
        checkName(name);
        byte[] attrs = new AttributeWriter().string(Rtnetlink.IFLA_IFNAME, name)
                .nested(Rtnetlink.IFLA_LINKINFO, w -> w.string(Rtnetlink.IFLA_INFO_KIND, kind)).toByteArray();
        return ifinfomsg(Rtnetlink.AF_UNSPEC, 0, 0, 0, attrs);
    }

    /** RTM_DELLINK by index. */
    public static byte[] deleteLink(int index) {
        return ifinfomsg(Rtnetlink.AF_UNSPEC, index, 0, 0, new byte[0]);
    }

    /**
     * RTM_NEWADDR / RTM_DELADDR payload for {@code a}: ifaddrmsg, then IFA_LOCAL and IFA_ADDRESS
     * both set to the address (what iproute2 sends for an address without a peer), and IFA_FLAGS
     * when flags do not fit the 8-bit ifa_flags.
     */
    public static byte[] address(InterfaceAddress a) {
        AttributeWriter w = new AttributeWriter()
                .binary(Rtnetlink.IFA_LOCAL, a.address().getAddress())
                .binary(Rtnetlink.IFA_ADDRESS, a.address().getAddress());
        if ((a.flags() & ~0xFF) != 0) {
            w.u32(Rtnetlink.IFA_FLAGS, a.flags());
        }
        byte[] attrs = w.toByteArray();
        return ByteBuffer.allocate(Rtnetlink.IFADDRMSG_LEN + attrs.length).order(ByteOrder.nativeOrder())
                .put((byte) a.family()).put((byte) a.prefixLength()).put((byte) (a.flags() & 0xFF))
                .put((byte) a.scope()).putInt(a.index()).put(attrs).array();
    }

    /** RTM_GETADDR dump request for one family (AF_UNSPEC for all). */
    public static byte[] dumpAddresses(int family) {
        return ByteBuffer.allocate(Rtnetlink.IFADDRMSG_LEN).order(ByteOrder.nativeOrder()).put((byte) family)
                .array();
    }

    /** RTM_GETROUTE request for the route to one address (rtmsg with a full-length RTA_DST). */
    public static byte[] getRoute(InetAddress destination) {
        byte[] raw = destination.getAddress();
        byte[] attrs = new AttributeWriter().binary(Rtnetlink.RTA_DST, raw).toByteArray();
        return ByteBuffer.allocate(Rtnetlink.RTMSG_LEN + attrs.length).order(ByteOrder.nativeOrder())
                .put((byte) family(destination)).put((byte) (raw.length * 8)).put(new byte[6]).putInt(0).put(attrs).array();
    }

    /** Decodes the RTM_NEWROUTE answer to {@link #getRoute}. */
    public static Route decodeRoute(InetAddress destination, byte[] payload) {
        if (payload.length < Rtnetlink.RTMSG_LEN) {
            throw NetlinkException.protocol("decode route", "rtmsg of " + payload.length + " bytes");
        }
        int type = Byte.toUnsignedInt(payload[7]);
        int[] oif = {0};
        byte[][] gateway = {null};
        byte[][] source = {null};
        AttributeReader r = AttributeReader.of(payload, Rtnetlink.RTMSG_LEN, payload.length - Rtnetlink.RTMSG_LEN);
        while (r.next()) {
            switch (r.type()) {
                case Rtnetlink.RTA_OIF -> oif[0] = r.u32();
                case Rtnetlink.RTA_GATEWAY -> gateway[0] = r.bytes();
                case Rtnetlink.RTA_PREFSRC -> source[0] = r.bytes();
                default -> {
                }
            }
        }
        r.check("decode route");
        return new Route(destination, type, oif[0], address(gateway[0]), address(source[0]));
    }

    private static InetAddress address(byte[] raw) {
        return raw == null || (raw.length != 4 && raw.length != 16) ? null : Addresses.of(raw);
    }

    /** Decodes an RTM_NEWLINK payload. */
    public static Link decodeLink(byte[] payload) {
        if (payload.length < Rtnetlink.IFINFOMSG_LEN) {
            throw NetlinkException.protocol("decode link", "ifinfomsg of " + payload.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
        int type = Short.toUnsignedInt(b.getShort(2));
        int index = b.getInt(4);
        int flags = b.getInt(8);
        String[] name = {null};
        int[] mtu = {0};
        String[] kind = {""};
        AttributeReader r = AttributeReader.of(payload, Rtnetlink.IFINFOMSG_LEN,
                payload.length - Rtnetlink.IFINFOMSG_LEN);
        while (r.next()) {
            switch (r.type()) {
                case Rtnetlink.IFLA_IFNAME -> name[0] = r.string();
                case Rtnetlink.IFLA_MTU -> mtu[0] = r.u32();
                case Rtnetlink.IFLA_LINKINFO -> r.nested(info -> {
                    while (info.next()) {
                        if (info.type() == Rtnetlink.IFLA_INFO_KIND) {
                            kind[0] = info.string();
                        }
                    }
                });
                default -> {
                }
            }
        }
        r.check("decode link");
        if (name[0] == null) {
            throw NetlinkException.protocol("decode link", "link " + index + " without IFLA_IFNAME");
        }
        return new Link(index, name[0], flags, type, mtu[0], kind[0]);
    }

    /** Decodes an RTM_NEWADDR payload. */
    public static InterfaceAddress decodeAddress(byte[] payload) {
        if (payload.length < Rtnetlink.IFADDRMSG_LEN) {
            throw NetlinkException.protocol("decode address", "ifaddrmsg of " + payload.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
        int family = Byte.toUnsignedInt(b.get(0));
        int prefix = Byte.toUnsignedInt(b.get(1));
        int flags = Byte.toUnsignedInt(b.get(2));
        int scope = Byte.toUnsignedInt(b.get(3));
        int index = b.getInt(4);
        byte[] local = null;
        byte[] address = null;
        AttributeReader r = AttributeReader.of(payload, Rtnetlink.IFADDRMSG_LEN,
                payload.length - Rtnetlink.IFADDRMSG_LEN);
        while (r.next()) {
            switch (r.type()) {
                case Rtnetlink.IFA_LOCAL -> local = r.bytes();
                case Rtnetlink.IFA_ADDRESS -> address = r.bytes();
                case Rtnetlink.IFA_FLAGS -> flags = r.u32();
                default -> {
                }
            }
        }
        r.check("decode address");
        byte[] chosen = local != null ? local : address;
        int expected = family == Rtnetlink.AF_INET ? 4 : family == Rtnetlink.AF_INET6 ? 16 : -1;
        if (chosen == null || chosen.length != expected) {
            throw NetlinkException.protocol("decode address", "family " + family + " address of "
                    + (chosen == null ? "no" : chosen.length) + " bytes");
        }
        if (prefix > expected * 8) {
            throw NetlinkException.protocol("decode address", "prefix length " + prefix + " for family " + family);
        }
        // Addresses.of keeps ::ffff:a.b.c.d an IPv6 address (the family the kernel reported).
        return new InterfaceAddress(index, Addresses.of(chosen), prefix, flags, scope);
    }

    /** The address family constant of an address. */
    public static int family(InetAddress address) {
        return address instanceof Inet4Address ? Rtnetlink.AF_INET : Rtnetlink.AF_INET6;
    }

    private static void checkName(String name) {
        // IFNAMSIZ is 16 including the NUL; the kernel rejects longer names with EINVAL anyway,
        // but a clear message here beats "Invalid argument".
        if (name.isEmpty() || name.length() > 15 || name.contains("/") || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("invalid interface name '" + name + "'");
        }
    }
}

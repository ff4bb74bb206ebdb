package io.jipvs.netlink.ipvs.internal;

import static io.jipvs.netlink.ipvs.internal.IpvsConstants.*;

import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.IpvsInfo;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.Stats;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import io.jipvs.model.Timeouts;
import io.jipvs.model.TunnelChecksum;
import io.jipvs.model.TunnelType;
import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.internal.AttributeReader;
import io.jipvs.netlink.internal.AttributeWriter;
import io.jipvs.netlink.internal.genl.GenlMessage;
import io.jipvs.netlink.ipvs.IpvsMutation;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Every IPVS attribute layout in one place: requests are built and replies decoded here, and
 * nowhere else. Encoding rules that differ from the attribute policy are the kernel's (see the
 * ABI notes): ports are big-endian, an IPv4 netmask is a big-endian mask while an IPv6 one is a
 * host-order prefix length, FLAGS carries a mask, and a destination always names its family.
 */
public final class IpvsCodec {
    private IpvsCodec() {
    }

    // ---------------------------------------------------------------- requests

    public static GenlMessage getInfo() {
        return message(IPVS_CMD_GET_INFO, new AttributeWriter());
    }

    /** GET_SERVICE as a dump (no attributes) or, with a key, as a single lookup. */
    public static GenlMessage getServices() {
        return message(IPVS_CMD_GET_SERVICE, new AttributeWriter());
    }

    public static GenlMessage getService(ServiceKey key) {
        return message(IPVS_CMD_GET_SERVICE, serviceKeyNest(key));
    }

    public static GenlMessage getDestinations(ServiceKey key) {
        return message(IPVS_CMD_GET_DEST, serviceKeyNest(key));
    }

    public static GenlMessage getDaemons() {
        return message(IPVS_CMD_GET_DAEMON, new AttributeWriter());
    }

    public static GenlMessage getTimeouts() {
        return message(IPVS_CMD_GET_CONFIG, new AttributeWriter());
    }

    /** The request that performs a mutation. */
    public static GenlMessage encode(IpvsMutation mutation) {
        // Java 17 has no pattern switch; the sealed interface keeps this list complete.
        if (mutation instanceof IpvsMutation.AddService m) {
            return message(IPVS_CMD_NEW_SERVICE, serviceNest(m.service()));
        }
        if (mutation instanceof IpvsMutation.UpdateService m) {
            return message(IPVS_CMD_SET_SERVICE, serviceNest(m.service()));
        }
        if (mutation instanceof IpvsMutation.DeleteService m) {
            return message(IPVS_CMD_DEL_SERVICE, serviceKeyNest(m.key()));
        }
        if (mutation instanceof IpvsMutation.AddDestination m) {
            return message(IPVS_CMD_NEW_DEST, destinationNest(serviceKeyNest(m.service()), m.destination()));
        }
        if (mutation instanceof IpvsMutation.UpdateDestination m) {
            return message(IPVS_CMD_SET_DEST, destinationNest(serviceKeyNest(m.service()), m.destination()));
        }
        if (mutation instanceof IpvsMutation.DeleteDestination m) {
            return message(IPVS_CMD_DEL_DEST, serviceKeyNest(m.service())
                    .nested(IPVS_CMD_ATTR_DEST, w -> destinationIdentity(w, m.address(), m.port())));
        }
        if (mutation instanceof IpvsMutation.Zero m) {
            return message(IPVS_CMD_ZERO, m.service() == null ? new AttributeWriter() : serviceKeyNest(m.service()));
        }
        if (mutation instanceof IpvsMutation.Flush) {
            return message(IPVS_CMD_FLUSH, new AttributeWriter());
        }
        if (mutation instanceof IpvsMutation.SetTimeouts m) {
            return message(IPVS_CMD_SET_CONFIG, new AttributeWriter()
                    .u32(IPVS_CMD_ATTR_TIMEOUT_TCP, m.timeouts().tcp())
                    .u32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, m.timeouts().tcpFin())
                    .u32(IPVS_CMD_ATTR_TIMEOUT_UDP, m.timeouts().udp()));
        }
        if (mutation instanceof IpvsMutation.StartDaemon m) {
            return message(IPVS_CMD_NEW_DAEMON, daemonNest(m.daemon()));
        }
        if (mutation instanceof IpvsMutation.StopDaemon m) {
            return message(IPVS_CMD_DEL_DAEMON, new AttributeWriter()
                    .nested(IPVS_CMD_ATTR_DAEMON, w -> w.u32(IPVS_DAEMON_ATTR_STATE, m.state().code())));
        }
        throw new IllegalArgumentException("unknown mutation " + mutation);
    }

    private static GenlMessage message(int command, AttributeWriter attributes) {
        return new GenlMessage(command, IPVS_GENL_VERSION, attributes.toByteArray());
    }

    private static AttributeWriter serviceKeyNest(ServiceKey key) {
        return new AttributeWriter().nested(IPVS_CMD_ATTR_SERVICE, w -> serviceKey(w, key));
    }

    private static void serviceKey(AttributeWriter w, ServiceKey key) {
        w.u16(IPVS_SVC_ATTR_AF, key.family().number());
        if (key.fwmarkBased()) {
            w.u32(IPVS_SVC_ATTR_FWMARK, key.fwmark());
        } else {
            w.u16(IPVS_SVC_ATTR_PROTOCOL, key.protocol().number());
            w.binary(IPVS_SVC_ATTR_ADDR, key.address().getAddress());
            w.be16(IPVS_SVC_ATTR_PORT, key.port());
        }
    }

    /** NEW/SET_SERVICE: the kernel requires SCHED_NAME, FLAGS, TIMEOUT and NETMASK every time. */
    private static AttributeWriter serviceNest(Service s) {
        return new AttributeWriter().nested(IPVS_CMD_ATTR_SERVICE, w -> {
            serviceKey(w, s.key());
            w.string(IPVS_SVC_ATTR_SCHED_NAME, s.scheduler());
            if (s.persistenceEngine() != null) {
                w.string(IPVS_SVC_ATTR_PE_NAME, s.persistenceEngine());
            }
            // struct ip_vs_flags { flags; mask }: an all-ones mask replaces every flag.
            byte[] flags = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder())
                    .putInt(ServiceFlag.toBits(s.flags())).putInt(0xFFFF_FFFF).array();
            w.binary(IPVS_SVC_ATTR_FLAGS, flags);
            w.u32(IPVS_SVC_ATTR_TIMEOUT, s.timeout());
            if (s.key().family() == AddressFamily.INET6) {
                w.u32(IPVS_SVC_ATTR_NETMASK, s.netmask());
            } else {
                w.be32(IPVS_SVC_ATTR_NETMASK, (int) s.netmask());
            }
        });
    }

    private static void destinationIdentity(AttributeWriter w, InetAddress address, int port) {
        // Always name the family: without it the kernel assumes the service's and would read
        // an IPv6 destination of an IPv4 service as an IPv4 address.
        w.u16(IPVS_DEST_ATTR_ADDR_FAMILY, AddressFamily.of(address).number());
        w.binary(IPVS_DEST_ATTR_ADDR, address.getAddress());
        w.be16(IPVS_DEST_ATTR_PORT, port);
    }

    /** NEW/SET_DEST: FWD_METHOD, WEIGHT, U_THRESH and L_THRESH are required every time. */
    private static AttributeWriter destinationNest(AttributeWriter w, Destination d) {
        return w.nested(IPVS_CMD_ATTR_DEST, n -> {
            destinationIdentity(n, d.address(), d.port());
            n.u32(IPVS_DEST_ATTR_FWD_METHOD, d.forwarding().code());
            n.u32(IPVS_DEST_ATTR_WEIGHT, d.weight());
            // Kernels before 5.2/5.3 ignore the tunnel attributes instead of failing.
            n.u8(IPVS_DEST_ATTR_TUN_TYPE, d.tunnelType().code());
            n.be16(IPVS_DEST_ATTR_TUN_PORT, d.tunnelPort());
            n.u16(IPVS_DEST_ATTR_TUN_FLAGS, d.tunnelChecksum().flags());
            n.u32(IPVS_DEST_ATTR_U_THRESH, d.upperThreshold());
            n.u32(IPVS_DEST_ATTR_L_THRESH, d.lowerThreshold());
        });
    }

    /** NEW_DAEMON: STATE, MCAST_IFN and SYNC_ID are required; the rest only when chosen. */
    private static AttributeWriter daemonNest(SyncDaemon d) {
        return new AttributeWriter().nested(IPVS_CMD_ATTR_DAEMON, w -> {
            w.u32(IPVS_DAEMON_ATTR_STATE, d.state().code());
            w.string(IPVS_DAEMON_ATTR_MCAST_IFN, d.interfaceName());
            w.u32(IPVS_DAEMON_ATTR_SYNC_ID, d.syncId());
            if (d.maxLength() != 0) {
                w.u16(IPVS_DAEMON_ATTR_SYNC_MAXLEN, d.maxLength());
            }
            if (d.group() instanceof Inet4Address) {
                w.binary(IPVS_DAEMON_ATTR_MCAST_GROUP, d.group().getAddress()); // be32 = bytes as-is
            } else if (d.group() instanceof Inet6Address) {
                w.binary(IPVS_DAEMON_ATTR_MCAST_GROUP6, d.group().getAddress());
            }
            if (d.port() != 0) {
                w.u16(IPVS_DAEMON_ATTR_MCAST_PORT, d.port()); // host order, unlike service ports
            }
            if (d.ttl() != 0) {
                w.u8(IPVS_DAEMON_ATTR_MCAST_TTL, d.ttl());
            }
        });
    }

    // ---------------------------------------------------------------- replies

    /** A NEW_SERVICE message of a dump or lookup. */
    public static ServiceEntry decodeService(GenlMessage message) {
        String op = "decode service";
        ServiceEntry[] found = new ServiceEntry[1];
        AttributeReader r = AttributeReader.of(message.attributes());
        while (r.next()) {
            if (r.type() == IPVS_CMD_ATTR_SERVICE) {
                r.nested(n -> found[0] = serviceFields(n));
            }
        }
        r.check(op);
        if (found[0] == null) {
            throw malformed(op, "no service attribute");
        }
        return found[0];
    }

    private static ServiceEntry serviceFields(AttributeReader r) {
        int af = -1;
        int protocol = -1;
        byte[] address = null;
        int port = -1;
        long fwmark = 0;
        String scheduler = null;
        String pe = null;
        int flags = 0;
        long timeout = 0;
        long rawNetmask = 0;
        byte[] netmaskBytes = null;
        Stats stats = null;
        Stats stats64 = null;
        while (r.next()) {
            switch (r.type()) {
                case IPVS_SVC_ATTR_AF -> af = r.u16();
                case IPVS_SVC_ATTR_PROTOCOL -> protocol = r.u16();
                case IPVS_SVC_ATTR_ADDR -> address = r.bytes();
                case IPVS_SVC_ATTR_PORT -> port = r.be16();
                case IPVS_SVC_ATTR_FWMARK -> fwmark = Integer.toUnsignedLong(r.u32());
                case IPVS_SVC_ATTR_SCHED_NAME -> scheduler = r.string();
                case IPVS_SVC_ATTR_PE_NAME -> pe = r.string();
                case IPVS_SVC_ATTR_FLAGS -> {
                    byte[] b = r.bytes();
                    if (b.length < 4) {
                        r.fail("service flags of " + b.length + " bytes");
                    } else {
                        flags = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt(0);
                    }
                }
                case IPVS_SVC_ATTR_TIMEOUT -> timeout = Integer.toUnsignedLong(r.u32());
                case IPVS_SVC_ATTR_NETMASK -> {
                    netmaskBytes = r.bytes();
                    rawNetmask = Integer.toUnsignedLong(r.u32());
                }
                case IPVS_SVC_ATTR_STATS -> stats = stats(r);
                case IPVS_SVC_ATTR_STATS64 -> stats64 = stats(r);
                default -> {
                }
            }
        }
        if (r.error() != null) {
            return null;
        }
        try {
            AddressFamily family = AddressFamily.ofNumber(af).orElse(null);
            if (family == null) {
                r.fail("service address family " + af);
                return null;
            }
            ServiceKey key;
            if (fwmark != 0) {
                key = ServiceKey.ofFwmark(family, fwmark);
            } else {
                Protocol p = Protocol.ofNumber(protocol).orElse(null);
                if (p == null || address == null || port < 0) {
                    r.fail("service without a usable protocol (" + protocol + "), address or port");
                    return null;
                }
                key = new ServiceKey(family, p, address(family, address), port, 0);
            }
            if (scheduler == null) {
                r.fail("service without a scheduler name");
                return null;
            }
            long netmask = 0;
            if (netmaskBytes != null) {
                netmask = family == AddressFamily.INET6 ? rawNetmask
                        : Integer.toUnsignedLong(ByteBuffer.wrap(netmaskBytes).getInt()); // big-endian mask
            }
            Service service = new Service(key, scheduler,
                    ServiceFlag.fromBits(flags & ~IP_VS_SVC_F_HASHED), timeout, netmask, pe);
            return new ServiceEntry(service, stats64 != null ? stats64 : stats);
        } catch (IllegalArgumentException e) {
            r.fail(e.getMessage());
            return null;
        }
    }

    /**
     * A NEW_DEST message of a destination dump. {@code serviceFamily} stands in for the
     * destination's family on kernels older than 3.18, which do not report it.
     */
    public static DestinationEntry decodeDestination(GenlMessage message, AddressFamily serviceFamily) {
        String op = "decode destination";
        DestinationEntry[] found = new DestinationEntry[1];
        AttributeReader r = AttributeReader.of(message.attributes());
        while (r.next()) {
            if (r.type() == IPVS_CMD_ATTR_DEST) {
                r.nested(n -> found[0] = destinationFields(n, serviceFamily));
            }
        }
        r.check(op);
        if (found[0] == null) {
            throw malformed(op, "no destination attribute");
        }
        return found[0];
    }

    private static DestinationEntry destinationFields(AttributeReader r, AddressFamily serviceFamily) {
        int af = -1;
        byte[] address = null;
        int port = -1;
        int forwarding = IP_VS_CONN_F_DROUTE;
        long weight = 0;
        long upper = 0;
        long lower = 0;
        long active = 0;
        long inactive = 0;
        long persistent = 0;
        int tunType = IP_VS_CONN_F_TUNNEL_TYPE_IPIP;
        int tunPort = 0;
        int tunFlags = IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM;
        Stats stats = null;
        Stats stats64 = null;
        while (r.next()) {
            switch (r.type()) {
                case IPVS_DEST_ATTR_ADDR_FAMILY -> af = r.u16();
                case IPVS_DEST_ATTR_ADDR -> address = r.bytes();
                case IPVS_DEST_ATTR_PORT -> port = r.be16();
                case IPVS_DEST_ATTR_FWD_METHOD -> forwarding = r.u32() & IP_VS_CONN_F_FWD_MASK;
                case IPVS_DEST_ATTR_WEIGHT -> weight = Integer.toUnsignedLong(r.u32());
                case IPVS_DEST_ATTR_U_THRESH -> upper = Integer.toUnsignedLong(r.u32());
                case IPVS_DEST_ATTR_L_THRESH -> lower = Integer.toUnsignedLong(r.u32());
                case IPVS_DEST_ATTR_ACTIVE_CONNS -> active = Integer.toUnsignedLong(r.u32());
                case IPVS_DEST_ATTR_INACT_CONNS -> inactive = Integer.toUnsignedLong(r.u32());
                case IPVS_DEST_ATTR_PERSIST_CONNS -> persistent = Integer.toUnsignedLong(r.u32());
                case IPVS_DEST_ATTR_STATS -> stats = stats(r);
                case IPVS_DEST_ATTR_STATS64 -> stats64 = stats(r);
                case IPVS_DEST_ATTR_TUN_TYPE -> tunType = r.u8();
                case IPVS_DEST_ATTR_TUN_PORT -> tunPort = r.be16();
                case IPVS_DEST_ATTR_TUN_FLAGS -> tunFlags = r.u16();
                default -> {
                }
            }
        }
        if (r.error() != null) {
            return null;
        }
        AddressFamily family = af < 0 ? serviceFamily : AddressFamily.ofNumber(af).orElse(null);
        ForwardingMethod method = ForwardingMethod.ofCode(forwarding).orElse(null);
        TunnelType type = TunnelType.ofCode(tunType).orElse(null);
        TunnelChecksum checksum = TunnelChecksum.ofFlags(tunFlags).orElse(null);
        if (family == null || address == null || port < 0 || method == null || type == null || checksum == null) {
            r.fail("destination with an unknown family, forwarding method or tunnel setting, or no address/port");
            return null;
        }
        if (weight > Integer.MAX_VALUE || upper > Integer.MAX_VALUE || lower > Integer.MAX_VALUE) {
            r.fail("destination weight or threshold beyond INT_MAX");
            return null;
        }
        try {
            Destination d = new Destination(address(family, address), port, method, (int) weight, (int) upper,
                    (int) lower, type, tunPort, checksum);
            return new DestinationEntry(d, active, inactive, persistent, stats64 != null ? stats64 : stats);
        } catch (IllegalArgumentException e) {
            r.fail(e.getMessage());
            return null;
        }
    }

    /** STATS (32-bit counters, 64-bit byte counts) and STATS64 share ids; widths are taken as sent. */
    private static Stats stats(AttributeReader outer) {
        long[] v = new long[11];
        outer.nested(r -> {
            while (r.next()) {
                int t = r.type();
                if (t >= IPVS_STATS_ATTR_CONNS && t <= IPVS_STATS_ATTR_OUTBPS) {
                    v[t] = r.unsigned();
                }
                // IPVS_STATS_ATTR_PAD and unknown ids are skipped.
            }
        });
        return new Stats(v[IPVS_STATS_ATTR_CONNS], v[IPVS_STATS_ATTR_INPKTS], v[IPVS_STATS_ATTR_OUTPKTS],
                v[IPVS_STATS_ATTR_INBYTES], v[IPVS_STATS_ATTR_OUTBYTES], v[IPVS_STATS_ATTR_CPS],
                v[IPVS_STATS_ATTR_INPPS], v[IPVS_STATS_ATTR_OUTPPS], v[IPVS_STATS_ATTR_INBPS],
                v[IPVS_STATS_ATTR_OUTBPS]);
    }

    /** A NEW_DAEMON message of a daemon dump. */
    public static SyncDaemon decodeDaemon(GenlMessage message) {
        String op = "decode sync daemon";
        SyncDaemon[] found = new SyncDaemon[1];
        AttributeReader r = AttributeReader.of(message.attributes());
        while (r.next()) {
            if (r.type() == IPVS_CMD_ATTR_DAEMON) {
                r.nested(n -> found[0] = daemonFields(n));
            }
        }
        r.check(op);
        if (found[0] == null) {
            throw malformed(op, "no daemon attribute");
        }
        return found[0];
    }

    private static SyncDaemon daemonFields(AttributeReader r) {
        int state = -1;
        String ifname = null;
        long syncId = 0;
        int maxLength = 0;
        InetAddress group = null;
        int port = 0;
        int ttl = 0;
        while (r.next()) {
            switch (r.type()) {
                case IPVS_DAEMON_ATTR_STATE -> state = r.u32();
                case IPVS_DAEMON_ATTR_MCAST_IFN -> ifname = r.string();
                case IPVS_DAEMON_ATTR_SYNC_ID -> syncId = Integer.toUnsignedLong(r.u32());
                case IPVS_DAEMON_ATTR_SYNC_MAXLEN -> maxLength = r.u16();
                case IPVS_DAEMON_ATTR_MCAST_GROUP -> group = r.length() == 4 ? address(AddressFamily.INET, r.bytes())
                        : null;
                case IPVS_DAEMON_ATTR_MCAST_GROUP6 -> group = r.length() == 16
                        ? address(AddressFamily.INET6, r.bytes()) : null;
                case IPVS_DAEMON_ATTR_MCAST_PORT -> port = r.u16();
                case IPVS_DAEMON_ATTR_MCAST_TTL -> ttl = r.u8();
                default -> {
                }
            }
        }
        if (r.error() != null) {
            return null;
        }
        SyncState s = SyncState.ofCode(state).orElse(null);
        if (s == null || ifname == null || syncId > Integer.MAX_VALUE) {
            r.fail("daemon without a known state, an interface or a valid sync id");
            return null;
        }
        try {
            return new SyncDaemon(s, ifname, (int) syncId, maxLength, group, port, ttl);
        } catch (IllegalArgumentException e) {
            r.fail(e.getMessage());
            return null;
        }
    }

    /** The GET_CONFIG reply (SET_CONFIG message with the three timeouts at top level). */
    public static Timeouts decodeTimeouts(GenlMessage message) {
        long[] t = new long[3];
        AttributeReader r = AttributeReader.of(message.attributes());
        while (r.next()) {
            switch (r.type()) {
                case IPVS_CMD_ATTR_TIMEOUT_TCP -> t[0] = Integer.toUnsignedLong(r.u32());
                case IPVS_CMD_ATTR_TIMEOUT_TCP_FIN -> t[1] = Integer.toUnsignedLong(r.u32());
                case IPVS_CMD_ATTR_TIMEOUT_UDP -> t[2] = Integer.toUnsignedLong(r.u32());
                default -> {
                }
            }
        }
        r.check("decode timeouts");
        if (t[0] > Integer.MAX_VALUE || t[1] > Integer.MAX_VALUE || t[2] > Integer.MAX_VALUE) {
            throw malformed("decode timeouts", "timeout beyond INT_MAX");
        }
        return new Timeouts((int) t[0], (int) t[1], (int) t[2]);
    }

    /** The GET_INFO reply (SET_INFO message; its attribute ids overlap SERVICE/DEST). */
    public static IpvsInfo decodeInfo(GenlMessage message) {
        int version = 0;
        int size = 0;
        AttributeReader r = AttributeReader.of(message.attributes());
        while (r.next()) {
            switch (r.type()) {
                case IPVS_INFO_ATTR_VERSION -> version = r.u32();
                case IPVS_INFO_ATTR_CONN_TAB_SIZE -> size = r.u32();
                default -> {
                }
            }
        }
        r.check("decode info");
        return new IpvsInfo(version, size);
    }

    /**
     * An address of the given family from the kernel's 16-byte union nf_inet_addr (IPv4 in the
     * first 4 bytes). IPv6 addresses are built as Inet6Address even when IPv4-mapped.
     */
    static InetAddress address(AddressFamily family, byte[] raw) {
        if (raw.length < family.addressLength()) {
            throw new IllegalArgumentException(
                    "address of " + raw.length + " bytes for " + family);
        }
        return Addresses.of(Arrays.copyOf(raw, family.addressLength()));
    }

    private static NetlinkException malformed(String operation, String detail) {
        return new NetlinkException(operation, Errno.EBADMSG, operation + ": malformed reply: " + detail, null);
    }
}

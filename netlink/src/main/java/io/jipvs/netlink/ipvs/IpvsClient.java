package io.jipvs.netlink.ipvs;

import static io.jipvs.netlink.ipvs.internal.IpvsConstants.*;

import io.jipvs.model.DestinationEntry;
import io.jipvs.model.IpvsInfo;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.Timeouts;
import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.NetlinkTransport;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.internal.Ack;
import io.jipvs.netlink.internal.Netlink;
import io.jipvs.netlink.internal.NetlinkConnection;
import io.jipvs.netlink.internal.NetlinkSocket;
import io.jipvs.netlink.internal.genl.GenericNetlinkClient;
import io.jipvs.netlink.internal.genl.GenlFamily;
import io.jipvs.netlink.internal.genl.GenlMessage;
import io.jipvs.netlink.ipvs.internal.IpvsCodec;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The IPVS table of one network namespace, over one generic-netlink socket that every call
 * reuses. Thread-safe: calls are serialised on the socket (the kernel serialises IPVS changes
 * anyway). Every failure is an {@link IpvsException}.
 */
public final class IpvsClient implements Ipvs {
    private final GenericNetlinkClient genl;
    private final GenlFamily family;

    private IpvsClient(GenericNetlinkClient genl, GenlFamily family) {
        this.genl = genl;
        this.family = family;
    }

    /**
     * Opens a client for the caller's network namespace.
     *
     * @return the client
     * @throws IpvsException if IPVS cannot be reached
     */
    public static IpvsClient open() {
        NetlinkSocket socket;
        try {
            socket = NetlinkSocket.open(Netlink.NETLINK_GENERIC);
        } catch (NetlinkException e) {
            throw IpvsException.of(IpvsOperation.INIT, e);
        }
        return open(socket);
    }

    /**
     * Opens a client for the network namespace of {@code netnsFile} (/run/netns/NAME or
     * /proc/PID/ns/net). The socket is created inside that namespace and stays bound to it.
     * Needs CAP_SYS_ADMIN for setns.
     *
     * @param netnsFile the namespace file
     * @return the client
     * @throws NetlinkException if the namespace cannot be entered
     * @throws IpvsException    if IPVS cannot be reached in it
     */
    public static IpvsClient open(Path netnsFile) {
        // A missing or unusable namespace file fails as itself ("open /run/netns/x: No such file
        // or directory"), not as an IPVS start-up error.
        NetlinkSocket socket = NetworkNamespace.callIn(netnsFile, () -> NetlinkSocket.open(Netlink.NETLINK_GENERIC));
        return open(socket);
    }

    /**
     * Opens a client over a generic-netlink socket that another process created and passed to
     * this one (SCM_RIGHTS), as a resident service does for its callers. Every request then runs
     * with that process's rights: the kernel checks CAP_NET_ADMIN against the credentials of the
     * socket's opener and the socket's own network namespace, not this process's alone.
     *
     * @param socketFd the socket; owned by the client from now on (closing the client closes
     *                 it), and closed here when this fails
     * @return the client
     * @throws IpvsException if {@code socketFd} is not a generic-netlink socket or IPVS cannot
     *                       be reached through it (a caller without CAP_NET_ADMIN: EPERM)
     */
    public static IpvsClient adopt(int socketFd) {
        NetlinkSocket socket;
        try {
            socket = NetlinkSocket.adopt(socketFd, Netlink.NETLINK_GENERIC, NetlinkSocket.Options.DEFAULT);
        } catch (NetlinkException e) {
            throw IpvsException.of(IpvsOperation.INIT, e);
        }
        return open(socket);
    }

    /**
     * Opens a client over a given transport: resolves the IPVS family and reads its info, like
     * ipvsadm's start-up. A kernel without IPVS fails here, with {@link IpvsOperation#INIT}.
     *
     * @param transport the socket, or a scripted fake
     * @return the client
     * @throws IpvsException if IPVS cannot be reached; the transport is closed then
     */
    public static IpvsClient open(NetlinkTransport transport) {
        GenericNetlinkClient genl = new GenericNetlinkClient(new NetlinkConnection(transport));
        try {
            GenlFamily family = genl.family(IPVS_GENL_NAME);
            IpvsClient client = new IpvsClient(genl, family);
            client.info(IpvsOperation.INIT);
            return client;
        } catch (NetlinkException e) {
            genl.close();
            throw IpvsException.of(IpvsOperation.INIT, e);
        } catch (RuntimeException | Error e) {
            genl.close();
            throw e;
        }
    }

    /** The resolved IPVS generic-netlink family. */
    GenlFamily family() {
        return family;
    }

    /** Send system calls made on this client's socket so far (for tests). */
    long sendCalls() {
        return genl.connection().sendCalls();
    }

    /** Receive system calls made on this client's socket so far (for tests). */
    long receiveCalls() {
        return genl.connection().receiveCalls();
    }

    // ---------------------------------------------------------------- reads

    /** IPVS version and connection table size (GET_INFO). */
    @Override
    public IpvsInfo info() {
        return info(IpvsOperation.GET_INFO);
    }

    private IpvsInfo info(IpvsOperation op) {
        return IpvsCodec.decodeInfo(single(execute(IpvsCodec.getInfo(), op), IPVS_CMD_SET_INFO, op));
    }

    /** Every service with its counters, in the kernel's order (one dump). */
    @Override
    public List<ServiceEntry> services() {
        List<ServiceEntry> out = new ArrayList<>();
        for (GenlMessage m : dump(IpvsCodec.getServices(), IpvsOperation.LIST_SERVICES)) {
            if (m.command() == IPVS_CMD_NEW_SERVICE) {
                out.add(decode(() -> IpvsCodec.decodeService(m), IpvsOperation.LIST_SERVICES));
            }
        }
        return out;
    }

    /** One service, or empty if there is none with this key. */
    @Override
    public Optional<ServiceEntry> service(ServiceKey key) {
        List<GenlMessage> replies;
        try {
            replies = genl.execute(family, IpvsCodec.getService(key), IpvsOperation.GET_SERVICE.description());
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ESRCH) {
                return Optional.empty();
            }
            throw IpvsException.of(IpvsOperation.GET_SERVICE, e);
        }
        GenlMessage m = single(replies, IPVS_CMD_NEW_SERVICE, IpvsOperation.GET_SERVICE);
        return Optional.of(decode(() -> IpvsCodec.decodeService(m), IpvsOperation.GET_SERVICE));
    }

    /**
     * The destinations of a service, in the kernel's order (newest first). The kernel answers a
     * missing service with an empty list, not an error.
     */
    @Override
    public List<DestinationEntry> destinations(ServiceKey service) {
        List<DestinationEntry> out = new ArrayList<>();
        for (GenlMessage m : dump(IpvsCodec.getDestinations(service), IpvsOperation.LIST_DESTINATIONS)) {
            if (m.command() == IPVS_CMD_NEW_DEST) {
                out.add(decode(() -> IpvsCodec.decodeDestination(m, service.family()),
                        IpvsOperation.LIST_DESTINATIONS));
            }
        }
        return out;
    }

    /** Connection timeouts (GET_CONFIG). */
    @Override
    public Timeouts timeouts() {
        GenlMessage m = single(execute(IpvsCodec.getTimeouts(), IpvsOperation.GET_TIMEOUTS), IPVS_CMD_SET_CONFIG,
                IpvsOperation.GET_TIMEOUTS);
        return decode(() -> IpvsCodec.decodeTimeouts(m), IpvsOperation.GET_TIMEOUTS);
    }

    /** Running sync daemons (0, 1 or 2: master and/or backup). */
    @Override
    public List<SyncDaemon> daemons() {
        List<SyncDaemon> out = new ArrayList<>();
        for (GenlMessage m : dump(IpvsCodec.getDaemons(), IpvsOperation.LIST_DAEMONS)) {
            if (m.command() == IPVS_CMD_NEW_DAEMON) {
                out.add(decode(() -> IpvsCodec.decodeDaemon(m), IpvsOperation.LIST_DAEMONS));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- changes

    /** Applies one change, waiting for the kernel's ACK. */
    @Override
    public void apply(IpvsMutation mutation) {
        execute(IpvsCodec.encode(mutation), mutation.operation());
    }

    /**
     * Applies many changes through this client's socket with few system calls (see
     * {@link NetlinkConnection#batch}). Every change is attempted, in order, even after a
     * failure; nothing is rolled back.
     *
     * @return one result per change, in order
     */
    @Override
    public List<IpvsResult> apply(List<? extends IpvsMutation> mutations) {
        List<GenlMessage> requests = new ArrayList<>(mutations.size());
        for (IpvsMutation m : mutations) {
            requests.add(IpvsCodec.encode(m));
        }
        List<Ack> acks = genl.batch(family, requests, "apply batch");
        List<IpvsResult> results = new ArrayList<>(mutations.size());
        for (int i = 0; i < mutations.size(); i++) {
            IpvsMutation m = mutations.get(i);
            Ack ack = acks.get(i);
            results.add(new IpvsResult(m, ack.ok() ? null : new IpvsException(m.operation(), ack.errno(),
                    ack.extendedAck())));
        }
        return results;
    }

    // ---------------------------------------------------------------- plumbing

    private List<GenlMessage> execute(GenlMessage request, IpvsOperation op) {
        try {
            return genl.execute(family, request, op.description());
        } catch (NetlinkException e) {
            throw IpvsException.of(op, e);
        }
    }

    private List<GenlMessage> dump(GenlMessage request, IpvsOperation op) {
        try {
            return genl.dump(family, request, op.description());
        } catch (NetlinkException e) {
            throw IpvsException.of(op, e);
        }
    }

    private static GenlMessage single(List<GenlMessage> replies, int command, IpvsOperation op) {
        for (GenlMessage m : replies) {
            if (m.command() == command) {
                return m;
            }
        }
        throw IpvsException.of(op, NetlinkException.protocol(op.description(), "no reply with command " + command));
    }

    private interface Decoder<T> {
        T decode();
    }

    private static <T> T decode(Decoder<T> decoder, IpvsOperation op) {
        try {
            return decoder.decode();
        } catch (NetlinkException e) {
            throw IpvsException.of(op, e);
        }
    }

    @Override
    public void close() {
        genl.close();
    }
}

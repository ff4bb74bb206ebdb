package io.jipvs.netlink.route;

import io.jipvs.model.Addresses;
import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.NetlinkTransport;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.internal.Netlink;
import io.jipvs.netlink.internal.NetlinkConnection;
import io.jipvs.netlink.internal.NetlinkMessage;
import io.jipvs.netlink.internal.NetlinkSocket;
import io.jipvs.netlink.route.internal.RouteCodec;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Links and addresses of one network namespace over an rtnetlink (NETLINK_ROUTE) socket. Every
 * change waits for the kernel's ACK; failures are {@link NetlinkException}s naming the
 * operation ("RTM_NEWADDR 10.0.0.100/32 dev lo: File exists"). Lists ({@link #links()},
 * {@link #addresses(int)}) are consistent snapshots: a dump the kernel flags as interrupted by a
 * concurrent change is read again, up to five times, then fails with EINTR.
 */
public final class RouteClient implements AutoCloseable {
    private final NetlinkConnection connection;

    private RouteClient(NetlinkConnection connection) {
        this.connection = connection;
    }

    /**
     * A client for the caller's network namespace.
     *
     * @return the client
     * @throws NetlinkException if the socket cannot be opened
     */
    public static RouteClient open() {
        return new RouteClient(new NetlinkConnection(NetlinkSocket.open(Netlink.NETLINK_ROUTE)));
    }

    /**
     * A client whose socket lives in the network namespace of {@code netnsFile}.
     *
     * @param netnsFile /run/netns/NAME or /proc/PID/ns/net
     * @return the client
     * @throws NetlinkException if the namespace cannot be entered or the socket opened
     */
    public static RouteClient open(Path netnsFile) {
        return open(NetworkNamespace.callIn(netnsFile, () -> NetlinkSocket.open(Netlink.NETLINK_ROUTE)));
    }

    /**
     * A client over a given transport.
     *
     * @param transport the socket, or a scripted fake
     * @return the client
     */
    public static RouteClient open(NetlinkTransport transport) {
        return new RouteClient(new NetlinkConnection(transport));
    }

    /**
     * The link called {@code name}.
     *
     * @param name the interface name
     * @return the link, or empty when there is none (ENODEV)
     */
    public Optional<Link> link(String name) {
        try {
            return single(connection.execute(Rtnetlink.RTM_GETLINK, 0, RouteCodec.getLinkByName(name),
                    "RTM_GETLINK " + name));
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The link with ifindex {@code index}.
     *
     * @param index a positive ifindex
     * @return the link, or empty when there is none
     */
    public Optional<Link> link(int index) {
        if (index <= 0) {
            throw new IllegalArgumentException("ifindex must be positive: " + index);
        }
        try {
            return single(connection.execute(Rtnetlink.RTM_GETLINK, 0, RouteCodec.getLinkByIndex(index),
                    "RTM_GETLINK index " + index));
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Every link of the namespace.
     *
     * @return the links, in the kernel's order
     */
    public List<Link> links() {
        List<Link> links = new ArrayList<>();
        for (NetlinkMessage m : connection.dump(Rtnetlink.RTM_GETLINK, RouteCodec.getLinkByIndex(0), "RTM_GETLINK dump")) {
            if (m.type() == Rtnetlink.RTM_NEWLINK) {
                links.add(RouteCodec.decodeLink(m.payload()));
            }
        }
        return links;
    }

    /**
     * Sets IFF_UP on or off, leaving every other flag alone.
     *
     * @param link the link
     * @param up   true for up, false for down
     */
    public void setUp(Link link, boolean up) {
        connection.execute(Rtnetlink.RTM_NEWLINK, 0, RouteCodec.setLinkUp(link.index(), up),
                "RTM_NEWLINK " + link.name() + (up ? " up" : " down"));
    }

    /**
     * Creates a link of {@code kind} (NLM_F_CREATE | NLM_F_EXCL). For a kind whose module is not
     * loaded the kernel loads "rtnl-link-KIND" itself; tunnel modules then create their fallback
     * device (ipip: tunl0) in every namespace, which makes this request fail with EEXIST for that
     * name. Callers that only want the link to exist treat EEXIST as success.
     *
     * @param name the new link's name
     * @param kind its kind ("ipip", "dummy", ...)
     * @throws NetlinkException e.g. EEXIST, or EOPNOTSUPP for an unknown kind
     */
    public void createLink(String name, String kind) {
        connection.execute(Rtnetlink.RTM_NEWLINK, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, RouteCodec.newLink(name, kind),
                "RTM_NEWLINK " + name + " type " + kind);
    }

    /**
     * Deletes a link.
     *
     * @param link the link
     */
    public void deleteLink(Link link) {
        connection.execute(Rtnetlink.RTM_DELLINK, 0, RouteCodec.deleteLink(link.index()), "RTM_DELLINK " + link.name());
    }

    /**
     * Every address of one family on every link.
     *
     * @param family {@link Rtnetlink#AF_INET}, {@link Rtnetlink#AF_INET6}, or {@link Rtnetlink#AF_UNSPEC} for all
     * @return the addresses, in the kernel's order
     */
    public List<InterfaceAddress> addresses(int family) {
        List<InterfaceAddress> out = new ArrayList<>();
        for (NetlinkMessage m : connection.dump(Rtnetlink.RTM_GETADDR, RouteCodec.dumpAddresses(family),
                "RTM_GETADDR dump")) {
            if (m.type() == Rtnetlink.RTM_NEWADDR) {
                InterfaceAddress a = RouteCodec.decodeAddress(m.payload());
                // Without strict checking the kernel may ignore the family filter.
                if (family == Rtnetlink.AF_UNSPEC || a.family() == family) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /**
     * Adds an address (NLM_F_CREATE | NLM_F_EXCL).
     *
     * @param address  the address, with the link's index
     * @param linkName the link's name, for error messages
     * @throws NetlinkException e.g. EEXIST when it is already there
     */
    public void addAddress(InterfaceAddress address, String linkName) {
        connection.execute(Rtnetlink.RTM_NEWADDR, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, RouteCodec.address(address),
                "RTM_NEWADDR " + address.cidr() + " dev " + linkName);
    }

    /**
     * Deletes an address.
     *
     * @param address  the address, with the link's index
     * @param linkName the link's name, for error messages
     * @throws NetlinkException e.g. EADDRNOTAVAIL when it is not there
     */
    public void deleteAddress(InterfaceAddress address, String linkName) {
        connection.execute(Rtnetlink.RTM_DELADDR, 0, RouteCodec.address(address),
                "RTM_DELADDR " + address.cidr() + " dev " + linkName);
    }

    /**
     * The route the kernel would take to {@code destination} ({@code ip route get}).
     *
     * @param destination an IPv4 or IPv6 address
     * @return the route, or empty when the kernel has none (unreachable, prohibited, blackhole)
     */
    public Optional<Route> route(InetAddress destination) {
        List<NetlinkMessage> replies;
        try {
            replies = connection.execute(Rtnetlink.RTM_GETROUTE, 0, RouteCodec.getRoute(destination),
                    "RTM_GETROUTE " + Addresses.ntop(destination));
        } catch (NetlinkException e) {
            int errno = e.errno();
            if (errno == Errno.ENETUNREACH || errno == Errno.EHOSTUNREACH || errno == Errno.EACCES
                    || errno == Errno.EINVAL) {
                return Optional.empty();
            }
            throw e;
        }
        for (NetlinkMessage m : replies) {
            if (m.type() == Rtnetlink.RTM_NEWROUTE) {
                return Optional.of(RouteCodec.decodeRoute(destination, m.payload()));
            }
        }
        return Optional.empty();
    }

    private static Optional<Link> single(List<NetlinkMessage> replies) {
        for (NetlinkMessage m : replies) {
            if (m.type() == Rtnetlink.RTM_NEWLINK) {
                return Optional.of(RouteCodec.decodeLink(m.payload()));
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        connection.close();
    }
}

package io.jipvs.netlink.route;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The route the kernel would take to one address (RTM_GETROUTE, as {@code ip route get}).
 *
 * @param destination the address looked up
 * @param type        RTN_* route type ({@link Rtnetlink#RTN_LOCAL} for this host's own addresses)
 * @param outputIndex the output interface's ifindex (RTA_OIF), 0 when absent
 * @param gateway     the next hop (RTA_GATEWAY), or null when on-link
 * @param source      the source address the kernel would pick (RTA_PREFSRC), or null
 */
public record Route(InetAddress destination, int type, int outputIndex, InetAddress gateway, InetAddress source) {
    /**
     * Checks the destination.
     *
     * @param destination the address looked up
     * @param type        the route type
     * @param outputIndex the output ifindex
     * @param gateway     the next hop, or null
     * @param source      the preferred source, or null
     */
    public Route {
        Objects.requireNonNull(destination, "destination");
    }
}

package io.jipvs.control.host;

import io.jipvs.control.fullnat.Snat;
import io.jipvs.control.fullnat.SnatTable;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.route.InterfaceAddress;
import java.net.InetAddress;
import java.util.Optional;

/** The changes a plan can make, and the observation it is computed from. */
public interface Host {

    /**
     * Reads links, addresses and the sysctls plans look at.
     *
     * @return a snapshot
     */
    Observed observe();

    /**
     * The current value; fails if the entry does not exist.
     *
     * @param key e.g. net/ipv4/ip_forward
     * @return the value
     */
    int readSysctl(String key);

    /**
     * Writes a sysctl.
     *
     * @param key   e.g. net/ipv4/ip_forward
     * @param value the new value
     */
    void writeSysctl(String key, int value);

    /**
     * Creates a link. Returns false when the link turned out to exist already: loading a tunnel
     * module on demand creates its fallback device, which then is not ours to delete.
     *
     * @param name the link's name
     * @param kind its kind, e.g. "ipip"
     * @return true when this call created it
     */
    boolean createLink(String name, String kind);

    /**
     * Deletes a link.
     *
     * @param name the link's name
     */
    void deleteLink(String name);

    /**
     * Sets a link up or down.
     *
     * @param name the link's name
     * @param up   true for up
     */
    void setLinkUp(String name, boolean up);

    /**
     * Adds an address to a link.
     *
     * @param device  the link's name
     * @param address the address (its ifindex is ignored)
     */
    void addAddress(String device, InterfaceAddress address);

    /**
     * Deletes an address from a link.
     *
     * @param device  the link's name
     * @param address the address (its ifindex is ignored)
     */
    void deleteAddress(String device, InterfaceAddress address);

    /**
     * jipvs's nftables table (FULLNAT source NAT rules).
     *
     * @return the table as the kernel holds it
     */
    SnatTable snatTable();

    /**
     * Gives one service this source NAT rule, or none, in one transaction.
     *
     * @param service the service
     * @param snat    its rule, or empty to remove it
     */
    void setSnat(ServiceKey service, Optional<Snat> snat);

    /**
     * Whether this host has a route to an address (unreachable, prohibit and blackhole routes
     * are none).
     *
     * @param address the address
     * @return true when the kernel would send packets for it somewhere
     */
    boolean routable(InetAddress address);
}

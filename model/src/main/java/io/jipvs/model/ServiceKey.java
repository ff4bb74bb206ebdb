package io.jipvs.model;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What identifies a virtual service in the kernel: either protocol + address + port, or a
 * firewall mark + address family. For fwmark services {@code protocol} and {@code address} are
 * null and {@code port} is 0 (the kernel does not report them).
 */
public record ServiceKey(AddressFamily family, Protocol protocol, InetAddress address, int port, long fwmark) {

    /**
     * Checks that the components describe either an address key or a fwmark key.
     *
     * @param family   address family
     * @param protocol transport protocol, null for fwmark keys
     * @param address  virtual address, null for fwmark keys
     * @param port     virtual port, 0 for fwmark keys
     * @param fwmark   firewall mark, 0 for address keys
     * @throws NullPointerException     without family, or without protocol or address for an address key
     * @throws IllegalArgumentException for a fwmark out of range, a fwmark key with an address part,
     *                                  an address of another family, or a bad port
     */
    public ServiceKey {
        Objects.requireNonNull(family, "family");
        if (fwmark < 0 || fwmark > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("fwmark out of range: " + fwmark);
        }
        if (fwmark != 0) {
            if (protocol != null || address != null || port != 0) {
                throw new IllegalArgumentException("a fwmark service has no protocol, address or port");
            }
        } else {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(address, "address");
            if (AddressFamily.of(address) != family) {
                throw new IllegalArgumentException("address " + address.getHostAddress() + " is not " + family);
            }
            checkPort(port);
        }
    }

    /**
     * A service keyed by protocol, address and port; the family follows the address.
     *
     * @param protocol the transport protocol
     * @param address  the virtual address
     * @param port     the virtual port (0 = any port, for persistent services)
     * @return the key
     */
    public static ServiceKey of(Protocol protocol, InetAddress address, int port) {
        return new ServiceKey(AddressFamily.of(address), protocol, address, port, 0);
    }

    /**
     * A firewall-mark service (mark 1..2^32-1).
     *
     * @param family the family of the packets it takes
     * @param fwmark the mark
     * @return the key
     */
    public static ServiceKey ofFwmark(AddressFamily family, long fwmark) {
        if (fwmark == 0) {
            throw new IllegalArgumentException("fwmark must be greater than zero");
        }
        return new ServiceKey(family, null, null, 0, fwmark);
    }

    /**
     * Whether this is a firewall-mark service.
     *
     * @return true for a fwmark key
     */
    public boolean fwmarkBased() {
        return fwmark != 0;
    }

    static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    @Override
    public String toString() {
        if (fwmarkBased()) {
            return "FWM " + fwmark + (family == AddressFamily.INET6 ? " IPv6" : "");
        }
        String host = Addresses.ntop(address);
        return protocol + " " + (family == AddressFamily.INET6 ? "[" + host + "]" : host) + ":" + port;
    }
}

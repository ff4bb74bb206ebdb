package io.jipvs.netlink.route;

import io.jipvs.model.Addresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An address on an interface (RTM_NEWADDR). For IPv4 it is IFA_LOCAL; for IPv6, IFA_ADDRESS
 * (the kernel sends IFA_LOCAL there only for point-to-point peers).
 *
 * @param index        ifindex of the interface
 * @param address      the local address
 * @param prefixLength ifa_prefixlen
 * @param flags        IFA_F_* flags (IFA_FLAGS when present, which holds all 32 bits)
 * @param scope        RT_SCOPE_* (ifa_scope)
 */
public record InterfaceAddress(int index, InetAddress address, int prefixLength, int flags, int scope) {

    /**
     * Checks the values.
     *
     * @param index        ifindex of the interface
     * @param address      the local address
     * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
     * @param flags        IFA_F_* flags
     * @param scope        RT_SCOPE_*
     * @throws NullPointerException     without an address
     * @throws IllegalArgumentException for a prefix length out of range
     */
    public InterfaceAddress {
        Objects.requireNonNull(address, "address");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + address);
        }
    }

    /**
     * A single-address (host) entry: /32 or /128.
     *
     * @param index   ifindex of the interface
     * @param address the address
     * @param flags   IFA_F_* flags
     * @param scope   RT_SCOPE_*
     * @return the entry
     */
    public static InterfaceAddress host(int index, InetAddress address, int flags, int scope) {
        return new InterfaceAddress(index, address, address instanceof Inet6Address ? 128 : 32, flags, scope);
    }

    /**
     * The address family; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is IPv6.
     *
     * @return {@link Rtnetlink#AF_INET} or {@link Rtnetlink#AF_INET6}
     */
    public int family() {
        return address instanceof Inet6Address ? Rtnetlink.AF_INET6 : Rtnetlink.AF_INET;
    }

    /**
     * Whether this is a host entry.
     *
     * @return true for /32 (IPv4) or /128 (IPv6)
     */
    public boolean hostPrefix() {
        return prefixLength == (address instanceof Inet6Address ? 128 : 32);
    }

    /**
     * The address and prefix length.
     *
     * @return e.g. "10.0.0.100/32" or "fd00::100/128"
     */
    public String cidr() {
        return Addresses.ntop(address) + "/" + prefixLength;
    }
}

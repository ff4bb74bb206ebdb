package io.jipvs.model;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/** Address family of a service or destination, with the Linux AF_* number. */
public enum AddressFamily {
    /** IPv4: AF_INET (2), 4-byte addresses. */
    INET(2, 4),
    /** IPv6: AF_INET6 (10), 16-byte addresses. */
    INET6(10, 16);

    private final int number;
    private final int addressLength;

    AddressFamily(int number, int addressLength) {
        this.number = number;
        this.addressLength = addressLength;
    }

    /**
     * The AF_* number.
     *
     * @return 2 or 10
     */
    public int number() {
        return number;
    }

    /**
     * Bytes in an address of this family.
     *
     * @return 4 or 16
     */
    public int addressLength() {
        return addressLength;
    }

    /**
     * The family of an address.
     *
     * @param address an {@link Inet4Address} or {@link Inet6Address}
     * @return its family
     * @throws IllegalArgumentException for any other kind of address
     */
    public static AddressFamily of(InetAddress address) {
        if (address instanceof Inet4Address) {
            return INET;
        }
        if (address instanceof Inet6Address) {
            return INET6;
        }
        throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + address);
    }

    private static final AddressFamily[] ALL = values(); // values() copies the array on every call

    /**
     * The family with this AF_* number, if it is one IPVS supports.
     *
     * @param number an AF_* number
     * @return the family, or empty
     */
    public static Optional<AddressFamily> ofNumber(int number) {
        for (AddressFamily f : ALL) {
            if (f.number == number) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}

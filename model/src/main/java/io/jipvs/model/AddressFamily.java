package io.jipvs.model;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/** Address family of a service or destination, with the Linux AF_* number. */
public enum AddressFamily {
    INET(2, 4),
    INET6(10, 16);

    private final int number;
    private final int addressLength;

    AddressFamily(int number, int addressLength) {
        this.number = number;
        this.addressLength = addressLength;
    }

    /** The AF_* number. */
    public int number() {
        return number;
    }

    /** Bytes in an address of this family. */
    public int addressLength() {
        return addressLength;
    }

    /** The family of an address. */
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

    /** The family with this AF_* number, if it is one IPVS supports. */
    public static Optional<AddressFamily> ofNumber(int number) {
        for (AddressFamily f : ALL) {
            if (f.number == number) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}

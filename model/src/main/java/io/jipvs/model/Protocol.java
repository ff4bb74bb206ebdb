package io.jipvs.model;

import java.util.Optional;

/** Transport protocol of a virtual service, with its IANA protocol number as IPVS uses it. */
public enum Protocol {
    /** TCP (6). */
    TCP(6),
    /** UDP (17). */
    UDP(17),
    /** SCTP (132). */
    SCTP(132);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    /**
     * The IPPROTO_* number.
     *
     * @return the number
     */
    public int number() {
        return number;
    }

    private static final Protocol[] ALL = values(); // values() copies the array on every call

    /**
     * The protocol with this IPPROTO_* number, if IPVS supports it.
     *
     * @param number an IPPROTO_* number
     * @return the protocol, or empty
     */
    public static Optional<Protocol> ofNumber(int number) {
        for (Protocol p : ALL) {
            if (p.number == number) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}

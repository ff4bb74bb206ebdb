package io.jipvs.model;

import java.util.Optional;

/**
 * Checksum mode of GUE/GRE encapsulation (IP_VS_TUNNEL_ENCAP_FLAG_*); ipvsadm offers exactly
 * these three values (--tun-nocsum, --tun-csum, --tun-remcsum).
 */
public enum TunnelChecksum {
    /** No checksum (--tun-nocsum). */
    NOCSUM(0),
    /** Checksum (--tun-csum). */
    CSUM(1),
    /** Remote checksum offload (--tun-remcsum). */
    REMCSUM(2);

    private final int flags;

    TunnelChecksum(int flags) {
        this.flags = flags;
    }

    /**
     * The TUN_FLAGS value.
     *
     * @return the flags
     */
    public int flags() {
        return flags;
    }

    private static final TunnelChecksum[] ALL = values(); // values() copies the array on every call

    /**
     * The mode with this TUN_FLAGS value.
     *
     * @param flags the value
     * @return the mode, or empty
     */
    public static Optional<TunnelChecksum> ofFlags(int flags) {
        for (TunnelChecksum c : ALL) {
            if (c.flags == flags) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}

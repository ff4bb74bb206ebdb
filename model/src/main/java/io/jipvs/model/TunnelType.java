package io.jipvs.model;

import java.util.Optional;

/** Encapsulation of a tunnelling destination (IP_VS_CONN_F_TUNNEL_TYPE_*; kernel 5.2+, GRE 5.3+). */
public enum TunnelType {
    /** IP-in-IP. */
    IPIP(0),
    /** Generic UDP encapsulation. */
    GUE(1),
    /** Generic routing encapsulation. */
    GRE(2);

    private final int code;

    TunnelType(int code) {
        this.code = code;
    }

    /**
     * The IP_VS_CONN_F_TUNNEL_TYPE_* value.
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    private static final TunnelType[] ALL = values(); // values() copies the array on every call

    /**
     * The type with this IP_VS_CONN_F_TUNNEL_TYPE_* value.
     *
     * @param code the value
     * @return the type, or empty
     */
    public static Optional<TunnelType> ofCode(int code) {
        for (TunnelType t : ALL) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}

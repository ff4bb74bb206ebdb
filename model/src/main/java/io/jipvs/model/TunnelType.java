package io.jipvs.model;

import java.util.Optional;

/** Encapsulation of a tunnelling destination (IP_VS_CONN_F_TUNNEL_TYPE_*; kernel 5.2+, GRE 5.3+). */
public enum TunnelType {
    IPIP(0),
    GUE(1),
    GRE(2);

    private final int code;

    TunnelType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    private static final TunnelType[] ALL = values(); // values() copies the array on every call

    public static Optional<TunnelType> ofCode(int code) {
        for (TunnelType t : ALL) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}

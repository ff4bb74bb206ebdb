package io.jipvs.model;

import java.util.Optional;

/** How packets reach a destination (IP_VS_CONN_F_* values under IP_VS_CONN_F_FWD_MASK). */
public enum ForwardingMethod {
    /** NAT (ipvsadm -m, "Masq"). */
    MASQ(0),
    /** Local node; kernels no longer report it for new destinations. */
    LOCAL(1),
    /** IP-in-IP / GUE / GRE tunnelling (ipvsadm -i, "Tunnel"). */
    TUNNEL(2),
    /** Direct routing (ipvsadm -g, "Route"), ipvsadm's default. */
    ROUTE(3),
    /** Bypass (no destination), never configured by users. */
    BYPASS(4);

    private final int code;

    ForwardingMethod(int code) {
        this.code = code;
    }

    /**
     * The IP_VS_CONN_F_* value.
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    private static final ForwardingMethod[] ALL = values(); // values() copies the array on every call

    /**
     * The method with this IP_VS_CONN_F_* value.
     *
     * @param code the value, masked with IP_VS_CONN_F_FWD_MASK
     * @return the method, or empty for an unknown value
     */
    public static Optional<ForwardingMethod> ofCode(int code) {
        for (ForwardingMethod m : ALL) {
            if (m.code == code) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}

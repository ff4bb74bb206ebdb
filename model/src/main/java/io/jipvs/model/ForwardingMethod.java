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
    BYPASS(4);

    private final int code;

    ForwardingMethod(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    private static final ForwardingMethod[] ALL = values(); // values() copies the array on every call

    public static Optional<ForwardingMethod> ofCode(int code) {
        for (ForwardingMethod m : ALL) {
            if (m.code == code) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}

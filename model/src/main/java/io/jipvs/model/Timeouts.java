package io.jipvs.model;

/**
 * Connection timeouts in seconds (ipvsadm --set tcp tcpfin udp). When setting, 0 keeps the
 * current value.
 */
public record Timeouts(int tcp, int tcpFin, int udp) {

    /**
     * Checks the values.
     *
     * @param tcp    TCP established timeout
     * @param tcpFin TCP FIN_WAIT timeout
     * @param udp    UDP timeout
     * @throws IllegalArgumentException for a negative timeout
     */
    public Timeouts {
        if (tcp < 0 || tcpFin < 0 || udp < 0) {
            throw new IllegalArgumentException("timeouts must not be negative");
        }
    }
}

package io.jipvs.model;

/**
 * Connection timeouts in seconds (ipvsadm --set tcp tcpfin udp). When setting, 0 keeps the
 * current value.
 */
public record Timeouts(int tcp, int tcpFin, int udp) {

    public Timeouts {
        if (tcp < 0 || tcpFin < 0 || udp < 0) {
            throw new IllegalArgumentException("timeouts must not be negative");
        }
    }
}

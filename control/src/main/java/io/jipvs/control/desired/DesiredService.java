package io.jipvs.control.desired;

import io.jipvs.model.Destination;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One desired virtual service: the kernel's service with every real server it must have.
 *
 * @param name         a label for messages and metrics, or null
 * @param service      the service as the kernel stores it (key, scheduler, flags, persistence)
 * @param drainTimeout how long a real server leaving this service may keep its connections before
 *                     it is deleted, or null for the default ({@link #drainTimeout()})
 * @param realServers  its real servers, in the file's order; at most one per address and port
 */
public record DesiredService(String name, Service service, Duration drainTimeout, List<Destination> realServers) {

    /** How long a TCP or SCTP real server drains unless the file says otherwise. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Copies the list and checks that no two real servers share an address and port.
     *
     * @param name         a label, or null
     * @param service      the service
     * @param drainTimeout the drain timeout, or null for the default
     * @param realServers  the real servers
     * @throws IllegalArgumentException for a negative drain timeout or a duplicate real server
     */
    public DesiredService {
        Objects.requireNonNull(service, "service");
        realServers = List.copyOf(realServers);
        if (drainTimeout != null && drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drain timeout must not be negative: " + drainTimeout);
        }
        Set<RealServerKey> seen = new HashSet<>();
        for (Destination d : realServers) {
            if (!seen.add(RealServerKey.of(d))) {
                throw new IllegalArgumentException("duplicate real server " + RealServerKey.of(d) + " in " + service.key());
            }
        }
    }

    /**
     * The service's identity.
     *
     * @return its key
     */
    public ServiceKey key() {
        return service.key();
    }

    /**
     * How long a leaving real server drains: the file's value, else {@link #DEFAULT_DRAIN_TIMEOUT}
     * for TCP, SCTP and firewall-mark services, and zero for UDP, whose connections are not
     * closed by anyone (they expire), so waiting for them gains nothing unless asked for.
     *
     * @return the effective drain timeout
     */
    public Duration effectiveDrainTimeout() {
        if (drainTimeout != null) {
            return drainTimeout;
        }
        return key().protocol() == Protocol.UDP ? Duration.ZERO : DEFAULT_DRAIN_TIMEOUT;
    }
}

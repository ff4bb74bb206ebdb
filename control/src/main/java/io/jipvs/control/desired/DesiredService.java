package io.jipvs.control.desired;

import io.jipvs.control.fullnat.Snat;
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
 * @param snat         for a FULLNAT service its source NAT (its real servers are masquerading ones
 *                     in the kernel), else null
 */
public record DesiredService(String name, Service service, Duration drainTimeout, List<Destination> realServers,
                             Snat snat) {

    /** How long a TCP or SCTP real server drains unless the file says otherwise. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Copies the list and checks that no two real servers share an address and port.
     *
     * @param name         a label, or null
     * @param service      the service
     * @param drainTimeout the drain timeout, or null for the default
     * @param realServers  the real servers
     * @param snat         the source NAT of a FULLNAT service, or null
     * @throws IllegalArgumentException for a negative drain timeout, a duplicate real server, or
     *                                  a source NAT of another service
     */
    public DesiredService {
        Objects.requireNonNull(service, "service");
        if (snat != null && !snat.service().equals(service.key())) {
            throw new IllegalArgumentException("the source NAT of " + snat.service() + " given to " + service.key());
        }
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
     * A service that is not FULLNAT.
     *
     * @param name         a label, or null
     * @param service      the service
     * @param drainTimeout the drain timeout, or null for the default
     * @param realServers  the real servers
     */
    public DesiredService(String name, Service service, Duration drainTimeout, List<Destination> realServers) {
        this(name, service, drainTimeout, realServers, null);
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

package io.jipvs.control.reconcile;

import io.jipvs.control.desired.RealServerKey;
import io.jipvs.model.ServiceKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What jipvs created in one namespace's IPVS table and may therefore delete under
 * {@link Prune#OWNED}, and the real servers it is draining. Kept beside the table it describes
 * (under /run/jipvs, which is emptied at boot like the table).
 *
 * @param services    services jipvs added
 * @param realServers real servers jipvs added (to any service, its own or another's)
 * @param drains      real servers going to weight 0 before their deletion
 */
public record Ownership(Set<ServiceKey> services, Set<OwnedRealServer> realServers, Set<Drain> drains) {

    /** Nothing owned. */
    public static final Ownership EMPTY = new Ownership(Set.of(), Set.of(), Set.of());

    /**
     * Copies the sets.
     *
     * @param services    services jipvs added
     * @param realServers real servers jipvs added
     * @param drains      drains in progress
     */
    public Ownership {
        services = Set.copyOf(services);
        realServers = Set.copyOf(realServers);
        drains = Set.copyOf(drains);
    }

    /**
     * A real server of a service.
     *
     * @param service    the service's key
     * @param realServer the real server's address and port
     */
    public record OwnedRealServer(ServiceKey service, RealServerKey realServer) {
        /**
         * Checks the values.
         *
         * @param service    the service
         * @param realServer the real server
         */
        public OwnedRealServer {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(realServer, "realServer");
        }
    }

    /**
     * A real server that was set to weight 0 to be deleted once its connections are gone, or at
     * {@code deadline} at the latest.
     *
     * @param service    the service's key
     * @param realServer the real server
     * @param deadline   when it is deleted whatever its connections
     */
    public record Drain(ServiceKey service, RealServerKey realServer, Instant deadline) {
        /**
         * Checks the values.
         *
         * @param service    the service
         * @param realServer the real server
         * @param deadline   the deadline
         */
        public Drain {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(realServer, "realServer");
            Objects.requireNonNull(deadline, "deadline");
        }
    }
}

package io.jipvs.control.reconcile;

import io.jipvs.control.desired.RealServerKey;
import io.jipvs.model.Destination;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.ipvs.IpvsMutation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an apply does now, and what it leaves for later.
 *
 * @param changes    the changes, in the order they must be made: sysctls, timeouts and daemons,
 *                   then services before their real servers, drains before deletions
 * @param draining   real servers at weight 0 that still have connections and time left: deleted
 *                   by a later plan
 * @param notManaged services and real servers the plan leaves alone because jipvs did not make
 *                   them (under {@link Prune#OWNED}) or may not delete (under {@link Prune#NONE})
 * @param ownership  the ownership record once every change has succeeded
 */
public record Plan(List<Change> changes, List<Draining> draining, List<NotManaged> notManaged, Ownership ownership) {

    /**
     * Copies the lists.
     *
     * @param changes    the changes
     * @param draining   drains still waiting
     * @param notManaged what is left alone
     * @param ownership  the ownership record after success
     */
    public Plan {
        changes = List.copyOf(changes);
        draining = List.copyOf(draining);
        notManaged = List.copyOf(notManaged);
        Objects.requireNonNull(ownership, "ownership");
    }

    /**
     * Whether there is nothing to do, now or later.
     *
     * @return true when the table already is what the file says
     */
    public boolean isEmpty() {
        return changes.isEmpty() && draining.isEmpty();
    }

    /**
     * The netlink part of the changes, in order: one batch.
     *
     * @return the mutations
     */
    public List<IpvsMutation> mutations() {
        List<IpvsMutation> out = new ArrayList<>(changes.size());
        for (Change c : changes) {
            c.mutation().ifPresent(out::add);
        }
        return out;
    }

    /**
     * A real server waiting for its connections to end.
     *
     * @param service     the service's key
     * @param realServer  the real server as the kernel holds it
     * @param connections its active plus inactive connections
     * @param deadline    when it is deleted whatever its connections
     */
    public record Draining(ServiceKey service, Destination realServer, long connections, Instant deadline) {
        /**
         * Checks the values.
         *
         * @param service     the service
         * @param realServer  the real server
         * @param connections its connections
         * @param deadline    the deadline
         */
        public Draining {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(realServer, "realServer");
            Objects.requireNonNull(deadline, "deadline");
        }
    }

    /**
     * A service, or one real server of a service, that the plan leaves alone.
     *
     * @param service    the service's key
     * @param realServer the real server, or null for the whole service
     */
    public record NotManaged(ServiceKey service, RealServerKey realServer) {
        /**
         * Checks the value.
         *
         * @param service    the service
         * @param realServer the real server, or null
         */
        public NotManaged {
            Objects.requireNonNull(service, "service");
        }
    }
}

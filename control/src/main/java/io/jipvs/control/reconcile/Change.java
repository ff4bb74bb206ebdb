package io.jipvs.control.reconcile;

import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.fullnat.Snat;
import io.jipvs.model.Destination;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.Timeouts;
import io.jipvs.netlink.ipvs.IpvsMutation;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One planned change. Each carries what the kernel holds now ({@code from}) and what it will hold
 * ({@code to}), so that a plan can be shown field by field, and gives the netlink mutation that
 * makes it, if any (sysctls are written through /proc/sys, source NAT rules through nft).
 */
public sealed interface Change {

    /**
     * The kernel change that makes this one.
     *
     * @return the mutation, or empty for a change that is not made over netlink
     */
    Optional<IpvsMutation> mutation();

    /**
     * Adds a service (its real servers follow as {@link AddRealServer}s).
     *
     * @param to the service
     */
    record AddService(Service to) implements Change {
        /**
         * Checks the value.
         *
         * @param to the service
         */
        public AddService {
            Objects.requireNonNull(to, "to");
        }

        @Override
        public Optional<IpvsMutation> mutation() {
            return Optional.of(new IpvsMutation.AddService(to));
        }
    }

    /**
     * Edits a service in place (scheduler, flags, persistence, engine).
     *
     * @param from the service now
     * @param to   the service wanted, with the same key
     */
    record EditService(Service from, Service to) implements Change {
        /**
         * Checks the values.
         *
         * @param from the service now
         * @param to   the service wanted
         */
        public EditService {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (!from.key().equals(to.key())) {
                throw new IllegalArgumentException("an edit keeps the key: " + from.key() + " -> " + to.key());
            }
        }

        @Override
        public Optional<IpvsMutation> mutation() {
            return Optional.of(new IpvsMutation.UpdateService(to));
        }
    }

    /**
     * Deletes a service with whatever real servers it still has.
     *
     * @param from the service now
     */
    record DeleteService(Service from) implements Change {
        /**
         * Checks the value.
         *
         * @param from the service
         */
        public DeleteService {
            Objects.requireNonNull(from, "from");
        }

        @Override
        public Optional<IpvsMutation> mutation() {
            return Optional.of(new IpvsMutation.DeleteService(from.key()));
        }
    }

    /**
     * Adds a real server to a service.
     *
     * @param service the service's key
     * @param to      the real server
     */
    record AddRealServer(ServiceKey service, Destination to) implements Change {
        /**
         * Checks the values.
         *
         * @param service the service
         * @param to      the real server
         */
        public AddRealServer {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(to, "to");
        }

        @Override
        public Optional<IpvsMutation> mutation() {
            return Optional.of(new IpvsMutation.AddDestination(service, to));
        }
    }

    /**
     * Edits a real server in place (forwarding, weight, thresholds, tunnel).
     *
     * @param service the service's key
     * @param from    the real server now
     * @param to      the real server wanted, with the same address and port
     */
    record EditRealServer(ServiceKey service, Destination from, Destination to) implements Change {
        /**
         * Checks the values.
         *
         * @param service the service
         * @param from    the real server now
         * @param to      the real server wanted
         */
        public EditRealServer {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (!RealServerKey.of(from).equals(RealServerKey.of(to))) {
                throw new IllegalArgumentException("an edit keeps the address and port");
            }
        }

        @Override
        public Optional<IpvsMutation> mutation() {
            return Optional.of(new IpvsMutation.UpdateDestination(service, to));
        }
    }

    /**
     * Starts draining a real server: weight 0 now (no new connections), deletion once its
     * connections are gone or at {@code deadline}.
     *
     * @param service  the service's key
     * @param from     the real server now
     * @param deadline when it is deleted whatever its connections
     */
    record DrainRealServer(ServiceKey service, Destination from, Instant deadline) implements Change {
        /**
         * Checks the values.
         *
         * @param service  the service
         * @param from     the real server now
         * @param deadline the deadline
         */
        public DrainRealServer {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(deadline, "deadline");
        }

        /** Weight 0 when it has another; a real server already at 0 only starts its clock. */
        @Override
        public Optional<IpvsMutation> mutation() {
            return from.weight() == 0 ? Optional.empty()
                    : Optional.of(new IpvsMutation.UpdateDestination(service, from.withWeight(0)));
        }
    }

    /**
     * Deletes a real server.
     *
     * @param service the service's key
     * @param from    the real server now
     */
    record DeleteRealServer(ServiceKey service, Destination from) implements Change {
        /**
         * Checks the values.
         *
         * @param service the service
         * @param from    the real server
         */
        public DeleteRealServer {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(from, "from");
        }

        @Override
        public Optional<IpvsMutation> mutation() {
            return Optional.of(new IpvsMutation.DeleteDestination(service, from.address(), from.port()));
        }
    }

    /**
     * Sets the connection timeouts.
     *
     * @param from the timeouts now
     * @param to   the timeouts wanted (a 0 field keeps the current value)
     */
    record SetTimeouts(Timeouts from, Timeouts to) implements Change {
        /**
         * Checks the values.
         *
         * @param from the timeouts now
         * @param to   the timeouts wanted
         */
        public SetTimeouts {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        @Override
        public Optional<IpvsMutation> mutation() {
            return Optional.of(new IpvsMutation.SetTimeouts(to));
        }
    }

    /**
     * Starts a sync daemon.
     *
     * @param to its settings
     */
    record StartDaemon(SyncDaemon to) implements Change {
        /**
         * Checks the value.
         *
         * @param to its settings
         */
        public StartDaemon {
            Objects.requireNonNull(to, "to");
        }

        @Override
        public Optional<IpvsMutation> mutation() {
            return Optional.of(new IpvsMutation.StartDaemon(to));
        }
    }

    /**
     * Stops a sync daemon (a changed daemon is stopped, then started).
     *
     * @param from the daemon now
     */
    record StopDaemon(SyncDaemon from) implements Change {
        /**
         * Checks the value.
         *
         * @param from the daemon
         */
        public StopDaemon {
            Objects.requireNonNull(from, "from");
        }

        @Override
        public Optional<IpvsMutation> mutation() {
            return Optional.of(new IpvsMutation.StopDaemon(from.state()));
        }
    }

    /**
     * Writes an IPVS sysctl (net.ipv4.vs.NAME).
     *
     * @param name the name under net.ipv4.vs
     * @param from the value now, or null when it could not be read
     * @param to   the value wanted
     */
    record SetSysctl(String name, Integer from, int to) implements Change {
        /**
         * Checks the value.
         *
         * @param name the name
         * @param from the value now, or null
         * @param to   the value wanted
         */
        public SetSysctl {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public Optional<IpvsMutation> mutation() {
            return Optional.empty();
        }
    }

    /**
     * Gives a FULLNAT service its source NAT rule in jipvs's nftables table, changes it, or
     * removes it (through nft, not netlink: before the IPVS batch when there is a rule to have,
     * after it when the rule goes).
     *
     * @param service the service
     * @param from    its rule now, or empty
     * @param to      its rule wanted, or empty
     */
    record SetSnat(ServiceKey service, Optional<Snat> from, Optional<Snat> to) implements Change {
        /**
         * Checks the arguments.
         *
         * @param service the service
         * @param from    its rule now
         * @param to      its rule wanted
         */
        public SetSnat {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        @Override
        public Optional<IpvsMutation> mutation() {
            return Optional.empty();
        }
    }
}

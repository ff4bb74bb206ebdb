package io.jipvs.netlink.ipvs;

import io.jipvs.model.Destination;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import io.jipvs.model.Timeouts;
import java.net.InetAddress;
import java.util.Objects;

/** A change to the IPVS table; a list of them can be applied as one batch. */
public sealed interface IpvsMutation {

    /**
     * The operation, which names it in errors.
     *
     * @return the operation
     */
    IpvsOperation operation();

    /**
     * Adds a service.
     *
     * @param service the service
     */
    record AddService(Service service) implements IpvsMutation {
        /**
         * Checks the value.
         *
         * @param service the service
         */
        public AddService {
            Objects.requireNonNull(service, "service");
        }

        public IpvsOperation operation() {
            return IpvsOperation.ADD_SERVICE;
        }
    }

    /** Replaces scheduler, flags, timeout, netmask and persistence engine of an existing service. */
    record UpdateService(Service service) implements IpvsMutation {
        /**
         * Checks the value.
         *
         * @param service the new configuration
         */
        public UpdateService {
            Objects.requireNonNull(service, "service");
        }

        public IpvsOperation operation() {
            return IpvsOperation.UPDATE_SERVICE;
        }
    }

    /** Deletes a service and its destinations. */
    record DeleteService(ServiceKey key) implements IpvsMutation {
        /**
         * Checks the value.
         *
         * @param key the service
         */
        public DeleteService {
            Objects.requireNonNull(key, "key");
        }

        public IpvsOperation operation() {
            return IpvsOperation.DELETE_SERVICE;
        }
    }

    /**
     * Adds a destination to a service.
     *
     * @param service     the service
     * @param destination the destination
     */
    record AddDestination(ServiceKey service, Destination destination) implements IpvsMutation {
        /**
         * Checks the values.
         *
         * @param service     the service
         * @param destination the destination
         */
        public AddDestination {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(destination, "destination");
        }

        public IpvsOperation operation() {
            return IpvsOperation.ADD_DESTINATION;
        }
    }

    /** Replaces forwarding, weight, thresholds and tunnel settings of an existing destination. */
    record UpdateDestination(ServiceKey service, Destination destination) implements IpvsMutation {
        /**
         * Checks the values.
         *
         * @param service     the service
         * @param destination the new configuration
         */
        public UpdateDestination {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(destination, "destination");
        }

        public IpvsOperation operation() {
            return IpvsOperation.UPDATE_DESTINATION;
        }
    }

    /** Deletes the destination (address family, address, port) of a service. */
    record DeleteDestination(ServiceKey service, InetAddress address, int port) implements IpvsMutation {
        /**
         * Checks the values.
         *
         * @param service the service
         * @param address the destination's address
         * @param port    the destination's port
         */
        public DeleteDestination {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(address, "address");
        }

        public IpvsOperation operation() {
            return IpvsOperation.DELETE_DESTINATION;
        }
    }

    /** Zeroes the counters of one service, or of everything when {@code service} is null. */
    record Zero(ServiceKey service) implements IpvsMutation {
        public IpvsOperation operation() {
            return IpvsOperation.ZERO;
        }
    }

    /** Removes every service of the namespace. */
    record Flush() implements IpvsMutation {
        public IpvsOperation operation() {
            return IpvsOperation.FLUSH;
        }
    }

    /** Sets the connection timeouts; a 0 keeps the current value. */
    record SetTimeouts(Timeouts timeouts) implements IpvsMutation {
        /**
         * Checks the value.
         *
         * @param timeouts the timeouts
         */
        public SetTimeouts {
            Objects.requireNonNull(timeouts, "timeouts");
        }

        public IpvsOperation operation() {
            return IpvsOperation.SET_TIMEOUTS;
        }
    }

    /**
     * Starts a sync daemon.
     *
     * @param daemon its settings
     */
    record StartDaemon(SyncDaemon daemon) implements IpvsMutation {
        /**
         * Checks the value.
         *
         * @param daemon its settings
         */
        public StartDaemon {
            Objects.requireNonNull(daemon, "daemon");
        }

        public IpvsOperation operation() {
            return IpvsOperation.START_DAEMON;
        }
    }

    /**
     * Stops the sync daemon of a role.
     *
     * @param state master or backup
     */
    record StopDaemon(SyncState state) implements IpvsMutation {
        /**
         * Checks the value.
         *
         * @param state master or backup
         */
        public StopDaemon {
            Objects.requireNonNull(state, "state");
        }

        public IpvsOperation operation() {
            return IpvsOperation.STOP_DAEMON;
        }
    }
}

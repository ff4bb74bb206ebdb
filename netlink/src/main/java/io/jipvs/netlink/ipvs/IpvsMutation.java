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

    /** The operation, which also selects the error texts. */
    IpvsOperation operation();

    record AddService(Service service) implements IpvsMutation {
        public AddService {
            Objects.requireNonNull(service, "service");
        }

        public IpvsOperation operation() {
            return IpvsOperation.ADD_SERVICE;
        }
    }

    /** Replaces scheduler, flags, timeout, netmask and persistence engine of an existing service. */
    record UpdateService(Service service) implements IpvsMutation {
        public UpdateService {
            Objects.requireNonNull(service, "service");
        }

        public IpvsOperation operation() {
            return IpvsOperation.UPDATE_SERVICE;
        }
    }

    /** Deletes a service and its destinations. */
    record DeleteService(ServiceKey key) implements IpvsMutation {
        public DeleteService {
            Objects.requireNonNull(key, "key");
        }

        public IpvsOperation operation() {
            return IpvsOperation.DELETE_SERVICE;
        }
    }

    record AddDestination(ServiceKey service, Destination destination) implements IpvsMutation {
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
        public SetTimeouts {
            Objects.requireNonNull(timeouts, "timeouts");
        }

        public IpvsOperation operation() {
            return IpvsOperation.SET_TIMEOUTS;
        }
    }

    record StartDaemon(SyncDaemon daemon) implements IpvsMutation {
        public StartDaemon {
            Objects.requireNonNull(daemon, "daemon");
        }

        public IpvsOperation operation() {
            return IpvsOperation.START_DAEMON;
        }
    }

    record StopDaemon(SyncState state) implements IpvsMutation {
        public StopDaemon {
            Objects.requireNonNull(state, "state");
        }

        public IpvsOperation operation() {
            return IpvsOperation.STOP_DAEMON;
        }
    }
}

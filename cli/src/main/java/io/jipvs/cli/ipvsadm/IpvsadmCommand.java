package io.jipvs.cli.ipvsadm;

import io.jipvs.cli.format.ListMode;
import io.jipvs.model.Destination;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import io.jipvs.model.Timeouts;
import io.jipvs.netlink.ipvs.IpvsMutation;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One ipvsadm command line as {@link IpvsadmParser} accepted it: what the command is, in model
 * terms, with every default ipvsadm fills in already applied (wlc, eth0, the service's port for a
 * routed destination...). Nothing here holds an AF_, IPPROTO_ or flag number.
 */
public sealed interface IpvsadmCommand {

    /** A command that changes the IPVS table: exactly one kernel change. */
    sealed interface Change extends IpvsadmCommand {
        IpvsMutation mutation();
    }

    /** -A. */
    record AddService(Service service) implements Change {
        public IpvsMutation mutation() {
            return new IpvsMutation.AddService(service);
        }
    }

    /** -E. */
    record EditService(Service service) implements Change {
        public IpvsMutation mutation() {
            return new IpvsMutation.UpdateService(service);
        }
    }

    /** -D. */
    record DeleteService(ServiceKey service) implements Change {
        public IpvsMutation mutation() {
            return new IpvsMutation.DeleteService(service);
        }
    }

    /** -a. */
    record AddDestination(ServiceKey service, Destination destination) implements Change {
        public IpvsMutation mutation() {
            return new IpvsMutation.AddDestination(service, destination);
        }
    }

    /** -e. */
    record EditDestination(ServiceKey service, Destination destination) implements Change {
        public IpvsMutation mutation() {
            return new IpvsMutation.UpdateDestination(service, destination);
        }
    }

    /** -d: the destination is identified by address and port. */
    record DeleteDestination(ServiceKey service, InetAddress address, int port) implements Change {
        public IpvsMutation mutation() {
            return new IpvsMutation.DeleteDestination(service, address, port);
        }
    }

    /** -Z: one service's counters, or every counter when {@code service} is null. */
    record Zero(ServiceKey service) implements Change {
        public IpvsMutation mutation() {
            return new IpvsMutation.Zero(service);
        }
    }

    /** -C. */
    record Flush() implements Change {
        public IpvsMutation mutation() {
            return new IpvsMutation.Flush();
        }
    }

    /** --set tcp tcpfin udp (0 keeps a value). */
    record SetTimeouts(Timeouts timeouts) implements Change {
        public IpvsMutation mutation() {
            return new IpvsMutation.SetTimeouts(timeouts);
        }
    }

    /** --start-daemon. */
    record StartDaemon(SyncDaemon daemon) implements Change {
        public IpvsMutation mutation() {
            return new IpvsMutation.StartDaemon(daemon);
        }
    }

    /** --stop-daemon. */
    record StopDaemon(SyncState state) implements Change {
        public IpvsMutation mutation() {
            return new IpvsMutation.StopDaemon(state);
        }
    }

    /** What -L lists (the matrix lets at most one of -t/-u/-f, -c, --timeout, --daemon through). */
    enum Subject {
        /** The service table, or one service when {@link Listing#service()} is set. */
        SERVICES,
        /** -c: /proc/net/ip_vs_conn. */
        CONNECTIONS,
        /** --timeout. */
        TIMEOUTS,
        /** --daemon. */
        DAEMONS
    }

    /**
     * -L / -l.
     *
     * @param service one service to list (with {@link Subject#SERVICES}), or null for all
     * @param mode    the columns: the first of --stats, --rate, --thresholds, --persistent-conn,
     *                --tun-info given; with -c only --persistent-conn matters
     * @param sort    false with --nosort
     */
    record Listing(Subject subject, ServiceKey service, ListMode mode, boolean numeric, boolean exact,
                   boolean sort, boolean json) implements IpvsadmCommand {
        public Listing {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(mode, "mode");
            if (service != null && subject != Subject.SERVICES) {
                throw new IllegalArgumentException("one service is listed only with SERVICES");
            }
        }
    }

    /** -S. */
    record Save(boolean numeric, boolean json) implements IpvsadmCommand {
    }

    /** -R: command lines on standard input. */
    record Restore() implements IpvsadmCommand {
    }

    /** -h. */
    record Help() implements IpvsadmCommand {
    }

    /** -v. */
    record Version() implements IpvsadmCommand {
    }
}

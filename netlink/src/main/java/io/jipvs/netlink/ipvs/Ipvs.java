package io.jipvs.netlink.ipvs;

import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.IpvsInfo;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import io.jipvs.model.Timeouts;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The IPVS table of one network namespace: reads in the kernel's order, changes one at a time or
 * as a batch. {@link IpvsClient} is the kernel's implementation; programs (and tests) may
 * substitute their own. Every failure is an {@link IpvsException} carrying the operation and the
 * kernel's errno.
 */
public interface Ipvs extends AutoCloseable {

    /** IPVS version and connection table size. */
    IpvsInfo info();

    /** Every service with its counters, in the kernel's order. */
    List<ServiceEntry> services();

    /** One service, or empty if there is none with this key. */
    Optional<ServiceEntry> service(ServiceKey key);

    /** The destinations of a service, in the kernel's order; empty for a missing service. */
    List<DestinationEntry> destinations(ServiceKey service);

    /** The connection timeouts. */
    Timeouts timeouts();

    /** The running sync daemons (none, a master, a backup, or both). */
    List<SyncDaemon> daemons();

    /** Applies one change, waiting for the kernel's answer. */
    void apply(IpvsMutation mutation);

    /**
     * Applies many changes in order, each attempted even after an earlier one failed; nothing is
     * rolled back.
     *
     * @return one result per change, in order
     */
    List<IpvsResult> apply(List<? extends IpvsMutation> mutations);

    @Override
    void close();

    default void addService(Service service) {
        apply(new IpvsMutation.AddService(service));
    }

    /** Replaces scheduler, flags, timeout, netmask and persistence engine of a service. */
    default void updateService(Service service) {
        apply(new IpvsMutation.UpdateService(service));
    }

    default void deleteService(ServiceKey key) {
        apply(new IpvsMutation.DeleteService(key));
    }

    default void addDestination(ServiceKey service, Destination destination) {
        apply(new IpvsMutation.AddDestination(service, destination));
    }

    default void updateDestination(ServiceKey service, Destination destination) {
        apply(new IpvsMutation.UpdateDestination(service, destination));
    }

    default void deleteDestination(ServiceKey service, InetAddress address, int port) {
        apply(new IpvsMutation.DeleteDestination(service, address, port));
    }

    /** Removes every service. */
    default void flush() {
        apply(new IpvsMutation.Flush());
    }

    /** Zeroes every counter, including the totals. */
    default void zero() {
        apply(new IpvsMutation.Zero(null));
    }

    /** Zeroes the counters of one service and its destinations. */
    default void zero(ServiceKey service) {
        apply(new IpvsMutation.Zero(service));
    }

    /** Sets the connection timeouts; zero fields keep the current value. */
    default void setTimeouts(Timeouts timeouts) {
        apply(new IpvsMutation.SetTimeouts(timeouts));
    }

    default void startDaemon(SyncDaemon daemon) {
        apply(new IpvsMutation.StartDaemon(daemon));
    }

    default void stopDaemon(SyncState state) {
        apply(new IpvsMutation.StopDaemon(state));
    }
}

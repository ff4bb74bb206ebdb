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

    /**
     * IPVS version and connection table size.
     *
     * @return GET_INFO's answer
     */
    IpvsInfo info();

    /**
     * Every service with its counters, in the kernel's order.
     *
     * @return the services
     */
    List<ServiceEntry> services();

    /**
     * One service.
     *
     * @param key its identity
     * @return the service, or empty if there is none with this key
     */
    Optional<ServiceEntry> service(ServiceKey key);

    /**
     * The destinations of a service, in the kernel's order.
     *
     * @param service the service's key
     * @return its destinations; empty for a missing service
     */
    List<DestinationEntry> destinations(ServiceKey service);

    /**
     * The connection timeouts.
     *
     * @return tcp, tcpfin and udp timeouts in seconds
     */
    Timeouts timeouts();

    /**
     * The running sync daemons.
     *
     * @return none, a master, a backup, or both
     */
    List<SyncDaemon> daemons();

    /**
     * Applies one change, waiting for the kernel's answer.
     *
     * @param mutation the change
     * @throws IpvsException when the kernel refuses it
     */
    void apply(IpvsMutation mutation);

    /**
     * Applies many changes in order, each attempted even after an earlier one failed; nothing is
     * rolled back.
     *
     * @param mutations the changes
     * @return one result per change, in order
     */
    List<IpvsResult> apply(List<? extends IpvsMutation> mutations);

    @Override
    void close();

    /**
     * Adds a service.
     *
     * @param service the service
     * @throws IpvsException e.g. EEXIST when it exists
     */
    default void addService(Service service) {
        apply(new IpvsMutation.AddService(service));
    }

    /**
     * Replaces scheduler, flags, timeout, netmask and persistence engine of a service.
     *
     * @param service the new configuration, keyed like the existing service
     * @throws IpvsException e.g. ESRCH when there is no such service
     */
    default void updateService(Service service) {
        apply(new IpvsMutation.UpdateService(service));
    }

    /**
     * Deletes a service and its destinations.
     *
     * @param key the service
     * @throws IpvsException e.g. ESRCH when there is no such service
     */
    default void deleteService(ServiceKey key) {
        apply(new IpvsMutation.DeleteService(key));
    }

    /**
     * Adds a destination to a service.
     *
     * @param service     the service
     * @param destination the destination
     * @throws IpvsException e.g. EEXIST when it exists, ESRCH without the service
     */
    default void addDestination(ServiceKey service, Destination destination) {
        apply(new IpvsMutation.AddDestination(service, destination));
    }

    /**
     * Replaces forwarding, weight, thresholds and tunnel settings of a destination.
     *
     * @param service     the service
     * @param destination the new configuration, keyed like the existing destination
     * @throws IpvsException e.g. ENOENT when there is no such destination
     */
    default void updateDestination(ServiceKey service, Destination destination) {
        apply(new IpvsMutation.UpdateDestination(service, destination));
    }

    /**
     * Deletes a destination of a service.
     *
     * @param service the service
     * @param address the destination's address
     * @param port    the destination's port
     * @throws IpvsException e.g. ENOENT when there is no such destination
     */
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

    /**
     * Zeroes the counters of one service and its destinations.
     *
     * @param service the service
     */
    default void zero(ServiceKey service) {
        apply(new IpvsMutation.Zero(service));
    }

    /**
     * Sets the connection timeouts; zero fields keep the current value.
     *
     * @param timeouts the timeouts
     */
    default void setTimeouts(Timeouts timeouts) {
        apply(new IpvsMutation.SetTimeouts(timeouts));
    }

    /**
     * Starts a connection-synchronisation daemon.
     *
     * @param daemon its settings
     * @throws IpvsException e.g. EEXIST when one of that role runs
     */
    default void startDaemon(SyncDaemon daemon) {
        apply(new IpvsMutation.StartDaemon(daemon));
    }

    /**
     * Stops the connection-synchronisation daemon of a role.
     *
     * @param state master or backup
     * @throws IpvsException e.g. ESRCH when none of that role runs
     */
    default void stopDaemon(SyncState state) {
        apply(new IpvsMutation.StopDaemon(state));
    }
}

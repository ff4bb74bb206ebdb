package io.jipvs.netlink.nltest;

import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.IpvsInfo;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.Stats;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.Timeouts;
import io.jipvs.netlink.Errno;
import io.jipvs.netlink.ExtendedAck;
import io.jipvs.netlink.ipvs.Ipvs;
import io.jipvs.netlink.ipvs.IpvsException;
import io.jipvs.netlink.ipvs.IpvsMutation;
import io.jipvs.netlink.ipvs.IpvsResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An IPVS table in memory, for programs and tests that need an {@link Ipvs} without a kernel:
 * services and destinations in insertion order, the kernel's errors for a duplicate or a missing
 * entry, counters a test sets, and a record of every change and batch. Thread-safe (one lock),
 * so that a program's threads may share it as they would share the kernel.
 */
public final class MemoryIpvs implements Ipvs {
    /** The services, by key, in the order they were added. */
    public final Map<ServiceKey, Service> services = new LinkedHashMap<>();
    /** Each service's destinations with their counts and counters. */
    public final Map<ServiceKey, List<DestinationEntry>> destinations = new LinkedHashMap<>();
    /** Each service's counters (zero when absent). */
    public final Map<ServiceKey, Stats> serviceStats = new LinkedHashMap<>();
    /** Every change applied, in order. */
    public final List<IpvsMutation> applied = new ArrayList<>();
    /** The size of every batch applied. */
    public final List<Integer> batches = new ArrayList<>();
    /** The connection timeouts. */
    public Timeouts timeouts = new Timeouts(900, 120, 300);

    @Override
    public synchronized IpvsInfo info() {
        return new IpvsInfo(0x010907, 4096);
    }

    @Override
    public synchronized List<ServiceEntry> services() {
        List<ServiceEntry> entries = new ArrayList<>();
        for (Service s : services.values()) {
            entries.add(new ServiceEntry(s, serviceStats.get(s.key())));
        }
        return entries;
    }

    @Override
    public synchronized Optional<ServiceEntry> service(ServiceKey key) {
        return Optional.ofNullable(services.get(key)).map(s -> new ServiceEntry(s, serviceStats.get(key)));
    }

    @Override
    public synchronized List<DestinationEntry> destinations(ServiceKey service) {
        return List.copyOf(destinations.getOrDefault(service, List.of()));
    }

    /**
     * Sets a destination's connection counts and counters, as traffic would.
     *
     * @param service     the service
     * @param destination the destination's address and port (its other fields are kept)
     * @param active      active connections
     * @param inactive    inactive connections
     * @param stats       counters
     */
    public synchronized void traffic(ServiceKey service, Destination destination, long active, long inactive, Stats stats) {
        List<DestinationEntry> list = destinations.get(service);
        for (int i = 0; list != null && i < list.size(); i++) {
            Destination d = list.get(i).destination();
            if (d.address().equals(destination.address()) && d.port() == destination.port()) {
                list.set(i, new DestinationEntry(d, active, inactive, 0, stats));
                return;
            }
        }
        throw new IllegalArgumentException("no destination " + destination + " in " + service);
    }

    @Override
    public synchronized Timeouts timeouts() {
        return timeouts;
    }

    @Override
    public synchronized List<SyncDaemon> daemons() {
        return List.of();
    }

    @Override
    public synchronized void apply(IpvsMutation m) {
        applied.add(m);
        if (m instanceof IpvsMutation.AddService a) {
            if (services.putIfAbsent(a.service().key(), a.service()) != null) {
                throw refused(m, Errno.EEXIST);
            }
            destinations.put(a.service().key(), new ArrayList<>());
        } else if (m instanceof IpvsMutation.UpdateService u) {
            if (services.replace(u.service().key(), u.service()) == null) {
                throw refused(m, Errno.ESRCH);
            }
        } else if (m instanceof IpvsMutation.DeleteService d) {
            if (services.remove(d.key()) == null) {
                throw refused(m, Errno.ESRCH);
            }
            destinations.remove(d.key());
            serviceStats.remove(d.key());
        } else if (m instanceof IpvsMutation.AddDestination a) {
            List<DestinationEntry> list = list(m, a.service());
            if (index(list, a.destination()) >= 0) {
                throw refused(m, Errno.EEXIST);
            }
            list.add(new DestinationEntry(a.destination(), 0, 0, 0, null));
        } else if (m instanceof IpvsMutation.UpdateDestination u) {
            List<DestinationEntry> list = list(m, u.service());
            int i = index(list, u.destination());
            if (i < 0) {
                throw refused(m, Errno.ENOENT);
            }
            DestinationEntry e = list.get(i);
            list.set(i, new DestinationEntry(u.destination(), e.activeConnections(), e.inactiveConnections(),
                    e.persistentConnections(), e.stats()));
        } else if (m instanceof IpvsMutation.DeleteDestination d) {
            List<DestinationEntry> list = list(m, d.service());
            if (!list.removeIf(e -> e.destination().address().equals(d.address()) && e.destination().port() == d.port())) {
                throw refused(m, Errno.ENOENT);
            }
        } else if (m instanceof IpvsMutation.Flush) {
            services.clear();
            destinations.clear();
            serviceStats.clear();
        } else if (m instanceof IpvsMutation.SetTimeouts t) {
            timeouts = t.timeouts();
        } else {
            throw new UnsupportedOperationException("not in this fake: " + m);
        }
    }

    private List<DestinationEntry> list(IpvsMutation m, ServiceKey service) {
        List<DestinationEntry> list = destinations.get(service);
        if (list == null) {
            throw refused(m, Errno.ESRCH);
        }
        return list;
    }

    private static int index(List<DestinationEntry> list, Destination d) {
        for (int i = 0; i < list.size(); i++) {
            Destination e = list.get(i).destination();
            if (e.address().equals(d.address()) && e.port() == d.port()) {
                return i;
            }
        }
        return -1;
    }

    private static IpvsException refused(IpvsMutation m, int errno) {
        return new IpvsException(m.operation(), errno, ExtendedAck.NONE);
    }

    @Override
    public synchronized List<IpvsResult> apply(List<? extends IpvsMutation> mutations) {
        batches.add(mutations.size());
        List<IpvsResult> results = new ArrayList<>();
        for (IpvsMutation m : mutations) {
            try {
                apply(m);
                results.add(new IpvsResult(m, null));
            } catch (IpvsException e) {
                results.add(new IpvsResult(m, e));
            }
        }
        return results;
    }

    @Override
    public void close() {
    }
}

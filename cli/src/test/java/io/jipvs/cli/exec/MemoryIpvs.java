package io.jipvs.cli.exec;

import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.IpvsInfo;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.ServiceKey;
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
 * A small IPVS table in memory: services and destinations in insertion order, the errors the
 * kernel gives for a duplicate or a missing service, and a record of every change and batch.
 */
final class MemoryIpvs implements Ipvs {
    final Map<ServiceKey, Service> services = new LinkedHashMap<>();
    final Map<ServiceKey, List<Destination>> destinations = new LinkedHashMap<>();
    final List<IpvsMutation> applied = new ArrayList<>();
    final List<Integer> batches = new ArrayList<>();
    Timeouts timeouts = new Timeouts(900, 120, 300);

    @Override
    public IpvsInfo info() {
        return new IpvsInfo(0x010907, 4096);
    }

    @Override
    public List<ServiceEntry> services() {
        List<ServiceEntry> entries = new ArrayList<>();
        for (Service s : services.values()) {
            entries.add(new ServiceEntry(s, null));
        }
        return entries;
    }

    @Override
    public Optional<ServiceEntry> service(ServiceKey key) {
        return Optional.ofNullable(services.get(key)).map(s -> new ServiceEntry(s, null));
    }

    @Override
    public List<DestinationEntry> destinations(ServiceKey service) {
        List<DestinationEntry> entries = new ArrayList<>();
        for (Destination d : destinations.getOrDefault(service, List.of())) {
            entries.add(new DestinationEntry(d, 0, 0, 0, null));
        }
        return entries;
    }

    @Override
    public Timeouts timeouts() {
        return timeouts;
    }

    @Override
    public List<SyncDaemon> daemons() {
        return List.of();
    }

    @Override
    public void apply(IpvsMutation m) {
        applied.add(m);
        if (m instanceof IpvsMutation.AddService a) {
            if (services.putIfAbsent(a.service().key(), a.service()) != null) {
                throw refused(m, Errno.EEXIST);
            }
            destinations.put(a.service().key(), new ArrayList<>());
        } else if (m instanceof IpvsMutation.DeleteService d) {
            if (services.remove(d.key()) == null) {
                throw refused(m, Errno.ESRCH);
            }
            destinations.remove(d.key());
        } else if (m instanceof IpvsMutation.AddDestination a) {
            List<Destination> list = destinations.get(a.service());
            if (list == null) {
                throw refused(m, Errno.ESRCH);
            }
            list.add(a.destination());
        } else if (m instanceof IpvsMutation.Flush) {
            services.clear();
            destinations.clear();
        } else if (m instanceof IpvsMutation.SetTimeouts t) {
            timeouts = t.timeouts();
        } else {
            throw new UnsupportedOperationException("not in this fake: " + m);
        }
    }

    private static IpvsException refused(IpvsMutation m, int errno) {
        return new IpvsException(m.operation(), errno, ExtendedAck.NONE);
    }

    @Override
    public List<IpvsResult> apply(List<? extends IpvsMutation> mutations) {
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

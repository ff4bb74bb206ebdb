package io.jipvs.control.reconcile;

import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.reconcile.ActualState.ActualService;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.Errno;
import io.jipvs.netlink.ipvs.IpvsException;
import io.jipvs.netlink.ipvs.IpvsMutation;
import io.jipvs.netlink.ipvs.IpvsResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test tables, and a kernel simulator that applies mutations to an {@link ActualState} the way
 * IPVS does (EEXIST, ESRCH, ENOENT on impossible changes), keeping connection counts.
 */
final class Tables {
    private Tables() {
    }

    static ServiceKey tcp(String vip, int port) {
        return ServiceKey.of(Protocol.TCP, Addresses.literal(vip), port);
    }

    static ServiceKey udp(String vip, int port) {
        return ServiceKey.of(Protocol.UDP, Addresses.literal(vip), port);
    }

    static Destination rs(String address, int port, int weight) {
        return Destination.of(Addresses.literal(address), port).withForwarding(ForwardingMethod.MASQ).withWeight(weight);
    }

    static RealServerKey key(Destination d) {
        return RealServerKey.of(d);
    }

    static DesiredService want(ServiceKey key, String scheduler, Destination... realServers) {
        return new DesiredService(null, Service.builder(key).scheduler(scheduler).build(), null, List.of(realServers));
    }

    static DesiredService want(ServiceKey key, Duration drain, Destination... realServers) {
        return new DesiredService(null, Service.builder(key).build(), drain, List.of(realServers));
    }

    static ActualService have(ServiceKey key, String scheduler, DestinationEntry... destinations) {
        return new ActualService(Service.builder(key).scheduler(scheduler).build(), List.of(destinations));
    }

    static DestinationEntry entry(Destination d, long active, long inactive) {
        return new DestinationEntry(d, active, inactive, 0, null);
    }

    static DestinationEntry entry(Destination d) {
        return entry(d, 0, 0);
    }

    /** The kernel's answer to each mutation, and the table after them. */
    record Applied(ActualState state, List<IpvsResult> results) {
    }

    /** Applies mutations one by one as the kernel would; connection counts stay with their real server. */
    static Applied apply(ActualState before, List<IpvsMutation> mutations) {
        Map<ServiceKey, Service> services = new LinkedHashMap<>();
        Map<ServiceKey, Map<RealServerKey, DestinationEntry>> dests = new LinkedHashMap<>();
        for (ActualService s : before.services()) {
            services.put(s.service().key(), s.service());
            Map<RealServerKey, DestinationEntry> m = new LinkedHashMap<>();
            for (DestinationEntry d : s.destinations()) {
                m.put(RealServerKey.of(d.destination()), d);
            }
            dests.put(s.service().key(), m);
        }
        var timeouts = before.timeouts();
        List<io.jipvs.model.SyncDaemon> daemons = new ArrayList<>(before.daemons());
        List<IpvsResult> results = new ArrayList<>();
        for (IpvsMutation m : mutations) {
            int errno = 0;
            if (m instanceof IpvsMutation.AddService a) {
                if (services.putIfAbsent(a.service().key(), a.service()) != null) {
                    errno = Errno.EEXIST;
                } else {
                    dests.put(a.service().key(), new LinkedHashMap<>());
                }
            } else if (m instanceof IpvsMutation.UpdateService u) {
                errno = services.replace(u.service().key(), u.service()) == null ? Errno.ESRCH : 0;
            } else if (m instanceof IpvsMutation.DeleteService d) {
                errno = services.remove(d.key()) == null ? Errno.ESRCH : 0;
                dests.remove(d.key());
            } else if (m instanceof IpvsMutation.AddDestination a) {
                Map<RealServerKey, DestinationEntry> of = dests.get(a.service());
                errno = of == null ? Errno.ESRCH
                        : of.putIfAbsent(RealServerKey.of(a.destination()), entry(a.destination())) != null
                        ? Errno.EEXIST : 0;
            } else if (m instanceof IpvsMutation.UpdateDestination u) {
                Map<RealServerKey, DestinationEntry> of = dests.get(u.service());
                DestinationEntry old = of == null ? null : of.get(RealServerKey.of(u.destination()));
                if (of == null) {
                    errno = Errno.ESRCH;
                } else if (old == null) {
                    errno = Errno.ENOENT;
                } else {
                    of.put(RealServerKey.of(u.destination()), new DestinationEntry(u.destination(),
                            old.activeConnections(), old.inactiveConnections(), 0, null));
                }
            } else if (m instanceof IpvsMutation.DeleteDestination d) {
                Map<RealServerKey, DestinationEntry> of = dests.get(d.service());
                errno = of == null ? Errno.ESRCH : of.remove(new RealServerKey(d.address(), d.port())) == null
                        ? Errno.ENOENT : 0;
            } else if (m instanceof IpvsMutation.SetTimeouts t) {
                var w = t.timeouts();
                timeouts = new io.jipvs.model.Timeouts(w.tcp() != 0 ? w.tcp() : timeouts.tcp(),
                        w.tcpFin() != 0 ? w.tcpFin() : timeouts.tcpFin(), w.udp() != 0 ? w.udp() : timeouts.udp());
            } else if (m instanceof IpvsMutation.StartDaemon s) {
                if (daemons.stream().anyMatch(d -> d.state() == s.daemon().state())) {
                    errno = Errno.EEXIST;
                } else {
                    daemons.add(s.daemon());
                }
            } else if (m instanceof IpvsMutation.StopDaemon s) {
                errno = daemons.removeIf(d -> d.state() == s.state()) ? 0 : Errno.ESRCH;
            }
            results.add(new IpvsResult(m, errno == 0 ? null : new IpvsException(m.operation(), errno, null)));
        }
        List<ActualService> out = new ArrayList<>();
        services.forEach((k, s) -> out.add(new ActualService(s, new ArrayList<>(dests.get(k).values()))));
        return new Applied(new ActualState(out, timeouts, daemons, before.sysctls()), results);
    }
}

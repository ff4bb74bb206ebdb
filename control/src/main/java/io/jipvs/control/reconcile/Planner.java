package io.jipvs.control.reconcile;

import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.fullnat.Snat;
import io.jipvs.control.reconcile.ActualState.ActualService;
import io.jipvs.control.reconcile.Ownership.Drain;
import io.jipvs.control.reconcile.Ownership.OwnedRealServer;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import io.jipvs.model.Timeouts;
import io.jipvs.netlink.ipvs.IpvsResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plans the changes that make the kernel's table what a desired state says.
 *
 * <ul>
 * <li><b>Identity and edits.</b> A service is its key; a real server within it, its address and
 * port. Everything else is edited in place (ipvsadm's {@code -E} and {@code -e}), so connections
 * and counters survive; only a new identity is an addition (and the old one, a deletion).</li>
 * <li><b>Managed scope.</b> Every service of the file is managed whoever made it: a service made
 * by ipvsadm and named in the file is edited to match but stays its maker's (not recorded as
 * owned). What jipvs adds is recorded. Entries the file does not have are deleted only under
 * {@link Prune#ALL}, or under {@link Prune#OWNED} when recorded; the rest are listed as not
 * managed and never touched.</li>
 * <li><b>Drain before delete.</b> A leaving real server with connections goes to weight 0 and is
 * deleted by a later plan once its active and inactive connections are 0 or its deadline
 * ({@link DesiredService#effectiveDrainTimeout()}) has passed; without connections, or with a zero
 * timeout (UDP by default), it is deleted at once. A leaving service drains all its real servers
 * the same way and is deleted when none is left waiting. A draining real server that comes back
 * into the file is edited back and its drain forgotten.</li>
 * <li><b>Order.</b> Sysctls, timeouts, daemon stops, daemon starts; then each file service in
 * file order (add or edit, its real servers' adds and edits, then its leaving real servers);
 * then leaving services in kernel order. Additions come before deletions, so capacity never dips.</li>
 * <li><b>FULLNAT.</b> A FULLNAT service's source NAT rule in jipvs's nftables table is planned
 * with the service (before its addition; after its deletion) and {@code conntrack = 1} with the
 * sysctls; a rule for a service neither in the file nor deleted is left alone.</li>
 * </ul>
 * The kernel reports LOCAL for a real server whose address is the director's own, whatever method
 * it was given; LOCAL matches any wanted method.
 */
public final class Planner {
    private Planner() {
    }

    /**
     * The plan. Pure: the same inputs give the same plan.
     *
     * @param desired what the file says
     * @param actual  what the kernel holds
     * @param owned   what jipvs created and is draining
     * @param prune   what may be deleted
     * @param now     the time drains are measured against
     * @return the changes, the drains still waiting, what is left alone, and the next record
     */
    public static Plan plan(DesiredState desired, ActualState actual, Ownership owned, Prune prune, Instant now) {
        return new Planning(desired, actual, owned, prune, now, Set.of()).run();
    }

    /**
     * The plan when some of the file's real servers must leave at once, without a drain: those
     * whose health checks failed ({@code jipvs serve}). Their connections go nowhere alive, so
     * waiting for them only prolongs the failure.
     *
     * @param desired   what is wanted, without the withdrawn real servers
     * @param actual    what the kernel holds
     * @param owned     what jipvs created and is draining
     * @param prune     what may be deleted
     * @param now       the time drains are measured against
     * @param withdrawn real servers to delete now if the kernel has them, whoever made them
     * @return the plan
     */
    public static Plan plan(DesiredState desired, ActualState actual, Ownership owned, Prune prune, Instant now,
                            Set<Member> withdrawn) {
        return new Planning(desired, actual, owned, prune, now, withdrawn).run();
    }

    /**
     * How long a real server of this service drains when the file does not say (or no longer
     * has the service): {@link DesiredService#DEFAULT_DRAIN_TIMEOUT}, zero for UDP.
     *
     * @param key the service
     * @return the timeout
     */
    public static Duration defaultDrainTimeout(ServiceKey key) {
        return key.protocol() == Protocol.UDP ? Duration.ZERO : DesiredService.DEFAULT_DRAIN_TIMEOUT;
    }

    /**
     * Whether the kernel's real server already is the wanted one.
     *
     * @param actual what the kernel reports
     * @param wanted what the file says
     * @return true when nothing needs editing
     */
    static boolean same(Destination actual, Destination wanted) {
        if (actual.forwarding() == ForwardingMethod.LOCAL) {
            actual = actual.withForwarding(wanted.forwarding());
        }
        return actual.equals(wanted);
    }

    private static final class Planning {
        private final DesiredState desired;
        private final ActualState actual;
        private final Prune prune;
        private final Instant now;
        private final List<Change> changes = new ArrayList<>();
        private final List<Plan.Draining> draining = new ArrayList<>();
        private final List<Plan.NotManaged> notManaged = new ArrayList<>();
        private final Set<ServiceKey> services;
        private final Set<OwnedRealServer> realServers;
        private final Map<OwnedRealServer, Drain> drains = new HashMap<>();
        private final Map<OwnedRealServer, Drain> nextDrains = new LinkedHashMap<>();
        /** The file's services by key: lookups stay O(1) on tables of thousands. */
        private final Map<ServiceKey, DesiredService> wanted = new HashMap<>();
        private final Set<Member> withdrawn;

        Planning(DesiredState desired, ActualState actual, Ownership owned, Prune prune, Instant now,
                 Set<Member> withdrawn) {
            this.withdrawn = withdrawn;
            for (DesiredService s : desired.services()) {
                wanted.put(s.key(), s);
            }
            this.desired = desired;
            this.actual = actual;
            this.prune = prune;
            this.now = now;
            this.services = new HashSet<>(owned.services());
            this.realServers = new HashSet<>(owned.realServers());
            for (Drain d : owned.drains()) {
                drains.put(new OwnedRealServer(d.service(), d.realServer()), d);
            }
        }

        Plan run() {
            sysctls();
            timeouts();
            daemons();
            Map<ServiceKey, ActualService> kernel = new LinkedHashMap<>();
            for (ActualService s : actual.services()) {
                kernel.put(s.service().key(), s);
            }
            for (DesiredService s : desired.services()) {
                ActualService now = kernel.get(s.key());
                if (now == null) {
                    add(s);
                } else {
                    edit(s, now);
                }
            }
            for (ActualService s : actual.services()) {
                if (!wanted.containsKey(s.service().key())) {
                    leave(s);
                }
            }
            forgetVanished(kernel);
            return new Plan(changes, draining, notManaged, new Ownership(services, realServers,
                    new HashSet<>(nextDrains.values())));
        }

        private void sysctls() {
            for (Map.Entry<String, Integer> e : desired.requiredSysctls().entrySet()) {
                Integer now = actual.sysctls().get(e.getKey());
                if (now == null || !now.equals(e.getValue())) {
                    changes.add(new Change.SetSysctl(e.getKey(), now, e.getValue()));
                }
            }
        }

        private void timeouts() {
            Timeouts want = desired.timeouts();
            if (want == null) {
                return;
            }
            Timeouts have = actual.timeouts();
            if ((want.tcp() != 0 && want.tcp() != have.tcp()) || (want.tcpFin() != 0 && want.tcpFin() != have.tcpFin())
                    || (want.udp() != 0 && want.udp() != have.udp())) {
                changes.add(new Change.SetTimeouts(have, want));
            }
        }

        private void daemons() {
            if (desired.syncDaemons() == null) {
                return;
            }
            List<Change> starts = new ArrayList<>();
            for (SyncState state : SyncState.values()) {
                SyncDaemon want = daemon(desired.syncDaemons(), state);
                SyncDaemon have = daemon(actual.daemons(), state);
                if (have != null && (want == null || !matches(want, have))) {
                    changes.add(new Change.StopDaemon(have));
                }
                if (want != null && (have == null || !matches(want, have))) {
                    starts.add(new Change.StartDaemon(want));
                }
            }
            changes.addAll(starts);
        }

        private static SyncDaemon daemon(List<SyncDaemon> daemons, SyncState state) {
            for (SyncDaemon d : daemons) {
                if (d.state() == state) {
                    return d;
                }
            }
            return null;
        }

        /** Only what the file sets: the kernel reports its own defaults for the rest. */
        private static boolean matches(SyncDaemon want, SyncDaemon have) {
            return want.interfaceName().equals(have.interfaceName()) && want.syncId() == have.syncId()
                    && (want.maxLength() == 0 || want.maxLength() == have.maxLength())
                    && (want.port() == 0 || want.port() == have.port())
                    && (want.ttl() == 0 || want.ttl() == have.ttl())
                    && (want.group() == null || want.group().equals(have.group()));
        }

        /** The service's source NAT rule as the file wants it, set before its traffic can start. */
        private void snat(DesiredService s) {
            Optional<Snat> now = actual.snat().snat(s.key());
            Optional<Snat> want = Optional.ofNullable(s.snat());
            if (!now.equals(want)) {
                changes.add(new Change.SetSnat(s.key(), now, want));
            }
        }

        private void add(DesiredService s) {
            snat(s);
            changes.add(new Change.AddService(s.service()));
            services.add(s.key());
            for (Destination d : s.realServers()) {
                changes.add(new Change.AddRealServer(s.key(), d));
                realServers.add(new OwnedRealServer(s.key(), RealServerKey.of(d)));
            }
        }

        private void edit(DesiredService s, ActualService have) {
            snat(s);
            if (!have.service().equals(s.service())) {
                changes.add(new Change.EditService(have.service(), s.service()));
            }
            Map<RealServerKey, DestinationEntry> kernel = new LinkedHashMap<>();
            for (DestinationEntry d : have.destinations()) {
                kernel.put(RealServerKey.of(d.destination()), d);
            }
            Set<RealServerKey> wanted = new HashSet<>();
            for (Destination d : s.realServers()) {
                RealServerKey key = RealServerKey.of(d);
                wanted.add(key);
                DestinationEntry now = kernel.get(key);
                if (now == null) {
                    changes.add(new Change.AddRealServer(s.key(), d));
                    realServers.add(new OwnedRealServer(s.key(), key));
                } else if (!same(now.destination(), d)) {
                    changes.add(new Change.EditRealServer(s.key(), now.destination(), d));
                }
            }
            for (DestinationEntry d : have.destinations()) {
                RealServerKey key = RealServerKey.of(d.destination());
                if (wanted.contains(key)) {
                    continue;
                }
                OwnedRealServer owned = new OwnedRealServer(s.key(), key);
                if (withdrawn.contains(new Member(s.key(), key))) {
                    changes.add(new Change.DeleteRealServer(s.key(), d.destination()));
                    realServers.remove(owned);
                    continue;
                }
                if (!deletable(realServers.contains(owned))) {
                    notManaged.add(new Plan.NotManaged(s.key(), key));
                    continue;
                }
                if (drainOrDone(s.key(), d, s.effectiveDrainTimeout())) {
                    changes.add(new Change.DeleteRealServer(s.key(), d.destination()));
                    realServers.remove(owned);
                }
            }
        }

        private void leave(ActualService s) {
            ServiceKey key = s.service().key();
            if (!deletable(services.contains(key))) {
                notManaged.add(new Plan.NotManaged(key, null));
                return;
            }
            boolean done = true;
            for (DestinationEntry d : s.destinations()) {
                done &= drainOrDone(key, d, defaultDrainTimeout(key));
            }
            if (done) {
                changes.add(new Change.DeleteService(s.service()));
                actual.snat().snat(key).ifPresent(r -> changes.add(new Change.SetSnat(key, Optional.of(r), Optional.empty())));
                services.remove(key);
                realServers.removeIf(r -> r.service().equals(key));
                nextDrains.keySet().removeIf(r -> r.service().equals(key));
            }
        }

        private boolean deletable(boolean owned) {
            return prune == Prune.ALL || (prune == Prune.OWNED && owned);
        }

        /**
         * True when the real server may go now; otherwise it is (or stays) draining: weight 0,
         * its deadline kept from the first plan that started the drain.
         */
        private boolean drainOrDone(ServiceKey service, DestinationEntry d, Duration timeout) {
            RealServerKey key = RealServerKey.of(d.destination());
            OwnedRealServer id = new OwnedRealServer(service, key);
            Drain started = drains.get(id);
            long connections = d.activeConnections() + d.inactiveConnections();
            if (connections == 0 || timeout.isZero() || (started != null && !now.isBefore(started.deadline()))) {
                return true;
            }
            Instant deadline = started != null ? started.deadline() : now.plus(timeout);
            if (started == null || d.destination().weight() != 0) {
                changes.add(new Change.DrainRealServer(service, d.destination(), deadline));
            }
            nextDrains.put(id, new Drain(service, key, deadline));
            draining.add(new Plan.Draining(service, d.destination(), connections, deadline));
            return false;
        }

        /** Owned entries that are neither in the kernel nor in the file are forgotten. */
        private void forgetVanished(Map<ServiceKey, ActualService> kernel) {
            services.removeIf(k -> !kernel.containsKey(k) && !wanted.containsKey(k));
            Set<OwnedRealServer> present = new HashSet<>();
            for (DesiredService s : desired.services()) {
                for (Destination d : s.realServers()) {
                    present.add(new OwnedRealServer(s.key(), RealServerKey.of(d)));
                }
            }
            for (ActualService s : actual.services()) {
                for (DestinationEntry d : s.destinations()) {
                    present.add(new OwnedRealServer(s.service().key(), RealServerKey.of(d.destination())));
                }
            }
            realServers.retainAll(present);
        }
    }

    /**
     * The ownership record after a plan was applied with these results: true to what the kernel
     * now holds when some changes failed.
     *
     * @param before  the record the plan was made from
     * @param plan    the plan
     * @param results one result per {@link Plan#mutations()} entry, in order
     * @return the record to save
     */
    public static Ownership recordAfter(Ownership before, Plan plan, List<IpvsResult> results) {
        Set<ServiceKey> services = new HashSet<>(plan.ownership().services());
        Set<OwnedRealServer> realServers = new HashSet<>(plan.ownership().realServers());
        Map<OwnedRealServer, Drain> drains = new LinkedHashMap<>();
        for (Drain d : plan.ownership().drains()) {
            drains.put(new OwnedRealServer(d.service(), d.realServer()), d);
        }
        Map<OwnedRealServer, Drain> drainsBefore = new HashMap<>();
        for (Drain d : before.drains()) {
            drainsBefore.put(new OwnedRealServer(d.service(), d.realServer()), d);
        }
        Iterator<IpvsResult> result = results.iterator();
        for (Change c : plan.changes()) {
            if (c.mutation().isEmpty()) {
                continue;
            }
            if (!result.hasNext()) {
                throw new IllegalArgumentException("fewer results than mutations");
            }
            if (result.next().ok()) {
                continue;
            }
            if (c instanceof Change.AddService a) {
                if (!before.services().contains(a.to().key())) {
                    services.remove(a.to().key());
                }
            } else if (c instanceof Change.AddRealServer a) {
                OwnedRealServer id = new OwnedRealServer(a.service(), RealServerKey.of(a.to()));
                if (!before.realServers().contains(id)) {
                    realServers.remove(id);
                }
            } else if (c instanceof Change.DeleteService d) {
                ServiceKey key = d.from().key();
                if (before.services().contains(key)) {
                    services.add(key);
                }
                for (OwnedRealServer r : before.realServers()) {
                    if (r.service().equals(key)) {
                        realServers.add(r);
                    }
                }
                drainsBefore.forEach((id, drain) -> {
                    if (id.service().equals(key)) {
                        drains.put(id, drain);
                    }
                });
            } else if (c instanceof Change.DeleteRealServer d) {
                OwnedRealServer id = new OwnedRealServer(d.service(), RealServerKey.of(d.from()));
                if (before.realServers().contains(id)) {
                    realServers.add(id);
                }
                if (drainsBefore.containsKey(id)) {
                    drains.put(id, drainsBefore.get(id));
                }
            } else if (c instanceof Change.DrainRealServer d) {
                OwnedRealServer id = new OwnedRealServer(d.service(), RealServerKey.of(d.from()));
                if (drainsBefore.containsKey(id)) {
                    drains.put(id, drainsBefore.get(id));
                } else {
                    drains.remove(id);
                }
            }
            // Edits, timeouts, daemons and sysctls own nothing.
        }
        if (result.hasNext()) {
            throw new IllegalArgumentException("more results than mutations");
        }
        return new Ownership(services, realServers, new HashSet<>(drains.values()));
    }
}

package io.jipvs.control.serve;

import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.DirectorRole;
import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.desired.Supervised;
import io.jipvs.control.desired.Supervision;
import io.jipvs.control.health.CheckResult;
import io.jipvs.control.health.CheckSpec;
import io.jipvs.control.health.HealthMonitor;
import io.jipvs.control.health.HealthState;
import io.jipvs.control.host.StateStore;
import io.jipvs.control.reconcile.ActualState;
import io.jipvs.control.reconcile.Change;
import io.jipvs.control.reconcile.Ownership;
import io.jipvs.control.reconcile.OwnershipCodec;
import io.jipvs.control.reconcile.Plan;
import io.jipvs.control.reconcile.Planner;
import io.jipvs.control.reconcile.Prune;
import io.jipvs.control.reconcile.Reconciler;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.ipvs.Ipvs;
import io.jipvs.netlink.ipvs.IpvsMutation;
import io.jipvs.netlink.ipvs.IpvsResult;
import io.jipvs.netlink.route.RouteClient;
import io.jipvs.netlink.route.Rtnetlink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps the kernel's table what the file and the real servers' health say. Every kernel access
 * happens on one thread (in the director's namespace): the first reconcile on start, one after
 * each health change (changes that come together are coalesced into one), one on reload, one every
 * repair interval, and follow-ups while drains or slow starts are under way. Each reconcile dumps
 * the kernel, so every one of them also repairs drift; changes found by the periodic one are
 * reported as repairs. Ownership and drains are {@code jipvs apply}'s, in the same record.
 */
public final class Supervisor implements AutoCloseable {
    /** The ownership record's role: the same as apply's, so the two agree on what jipvs created. */
    public static final String ROLE = "apply";
    /** How soon a drain or a slow start is looked at again. */
    static final Duration FOLLOW_UP = Duration.ofSeconds(1);
    /** How often syncDaemon.vip's presence is looked at. */
    static final Duration VIP_WATCH = Duration.ofSeconds(1);

    private final Supplier<Ipvs> opener;
    private final Path stateDir;
    private final Consumer<Event> sink;
    private final ScheduledExecutorService loop;
    private final HealthMonitor monitor;
    private final Hooks hooks;
    private final Map<Member, Instant> comeBack = new ConcurrentHashMap<>();
    /** Runtime weights by real server (0: drained); changed on the supervisor's thread only. */
    private volatile Map<Member, Integer> overrides = Map.of();
    private volatile Supervised file;
    /** As the VRRP engine last said; a director nobody told yet stands by. */
    private volatile DirectorRole role = DirectorRole.BACKUP;
    /** Reads the namespace's addresses for syncDaemon.vip; opened on first use, on the supervisor's thread. */
    private RouteClient route;
    private ScheduledFuture<?> vipWatch;
    private String vipTrouble;
    private Ipvs ipvs;
    private Reconciler reconciler;
    private volatile Map<ServiceKey, Boolean> quorum = Map.of();
    private final AtomicLong reconciles = new AtomicLong();
    private final AtomicLong repairs = new AtomicLong();
    private final AtomicLong failedChanges = new AtomicLong();
    private Set<Member> held = Set.of();
    private boolean listNat = true;
    private final Object pendingLock = new Object();
    private String pending;
    private ScheduledFuture<?> repairTimer;
    private ScheduledFuture<?> followUp;
    private volatile boolean stopping;

    /**
     * A supervisor; nothing runs before {@link #start(Supervised)}.
     *
     * @param opener       opens the table (called on the supervisor's thread, in its namespace)
     * @param stateDir     where the ownership record is
     * @param threads      makes every thread (in the director's namespace)
     * @param checkThreads how many event-loop threads run the checks
     * @param sink         told every event, from any thread
     */
    public Supervisor(Supplier<Ipvs> opener, Path stateDir, ThreadFactory threads, int checkThreads, Consumer<Event> sink) {
        this.opener = opener;
        this.stateDir = stateDir;
        this.sink = sink;
        this.loop = Executors.newSingleThreadScheduledExecutor(threads);
        this.hooks = new Hooks(threads, sink);
        this.monitor = new HealthMonitor(threads, checkThreads, this::checked);
    }

    /**
     * Applies the file and starts the checks: returns after the first reconcile.
     *
     * @param first the file
     * @throws Exception what the first reconcile threw (the table could not be opened or read)
     */
    public void start(Supervised first) throws Exception {
        try {
            loop.submit(() -> {
                ipvs = opener.get();
                reconciler = new Reconciler(ipvs);
                file = first;
                overrides = Overrides.load(stateDir);
                if (followed(first) != null) {
                    role = vipRole(followed(first));
                    RoleRecord.save(stateDir, role);
                } else {
                    DirectorRole recorded = RoleRecord.load(stateDir);
                    role = recorded == null ? DirectorRole.BACKUP : recorded;
                }
                emit(Event.Kind.START, null, null, null, first.state().services().size() + " services, checks on "
                        + HealthMonitor.transport());
                watch(ActualState.dump(ipvs));
                reconcile("start");
                scheduleRepair();
                scheduleVipWatch();
                emit(Event.Kind.READY, null, null, null, null);
                return null;
            }).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /**
     * Puts a new file in force: checks follow it (servers whose check is unchanged keep their
     * state), then a reconcile against a fresh kernel dump.
     *
     * @param next the file
     */
    public void reload(Supervised next) {
        loop.execute(() -> {
            file = next;
            emit(Event.Kind.RELOAD, null, null, null, next.state().services().size() + " services");
            keepOverridesOf(next);
            watch(ActualState.dump(ipvs));
            reconcile("reload");
            scheduleRepair();
            scheduleVipWatch();
        });
    }

    /**
     * Sets or removes one real server's runtime weight and reconciles: returns once the kernel
     * has it. Overrides outlive reloads (while the file has the server) and restarts (they are
     * kept in the state directory), until removed.
     *
     * @param member the real server
     * @param weight the weight (0: drain), or null to go back to the configured one
     * @return null when done, else why not (the server is not in the file)
     * @throws InterruptedException when interrupted while waiting
     */
    public String override(Member member, Integer weight) throws InterruptedException {
        return override(member, weight, weight == null ? "undrain: the configured weight again"
                : weight == 0 ? "drain: weight 0" : "weight " + weight);
    }

    /**
     * As {@link #override(Member, Integer)}, with the event's words given (a persist says the file
     * has the weight now).
     *
     * @param member the real server
     * @param weight the weight, or null to go back to the configured one
     * @param note   what the event says
     * @return null when done, else why not
     * @throws InterruptedException when interrupted while waiting
     */
    public String override(Member member, Integer weight, String note) throws InterruptedException {
        try {
            return loop.submit(() -> {
                if (!hasMember(file, member)) {
                    return "no real server " + member.realServer() + " in service " + label(member.service());
                }
                Map<Member, Integer> next = new HashMap<>(overrides);
                Integer before = weight == null ? next.remove(member) : next.put(member, weight);
                if (java.util.Objects.equals(before, weight)) {
                    return null;
                }
                Overrides.save(stateDir, next);
                overrides = Map.copyOf(next);
                emit(Event.Kind.OVERRIDE, member.service(), member, null, note);
                reconcile("override");
                return null;
            }).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Takes the role the VRRP engine reports (keepalived's {@code notify_master},
     * {@code notify_backup}, {@code notify_fault}) and runs the sync daemons it calls for: returns
     * once the kernel has them. The role is recorded, so a restarted serve keeps it.
     *
     * @param next the role
     * @return what changed, in words
     * @throws IllegalStateException when the file's {@code syncDaemon.vip} decides the role
     * @throws InterruptedException  when interrupted while waiting
     */
    public String role(DirectorRole next) throws InterruptedException {
        try {
            return loop.submit(() -> {
                InetAddress vip = followed(file);
                if (vip != null) {
                    throw new IllegalStateException("the role follows VIP " + Addresses.ntop(vip)
                            + " (syncDaemon.vip): it is master while the address is here");
                }
                return takeRole(next, "");
            }).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** On the supervisor's thread: records the role, runs its daemons, says so. */
    private String takeRole(DirectorRole next, String why) {
        if (next == role) {
            return next.word() + " already" + daemonsOf(file, next);
        }
        RoleRecord.save(stateDir, next);
        DirectorRole before = role;
        role = next;
        emit(Event.Kind.ROLE, null, null, null, before.word() + " -> " + next.word() + why + daemonsOf(file, next));
        reconcile("role");
        return next.word() + daemonsOf(file, next);
    }

    /** The VIP whose presence decides the role, or null when ctl role does. */
    private static InetAddress followed(Supervised f) {
        return f.syncPair() == null ? null : f.syncPair().vip();
    }

    /**
     * On the supervisor's thread: the role the followed VIP's presence calls for. A failed look
     * keeps the role (and says why once), rather than stopping a master's sync on a hiccup.
     */
    private DirectorRole vipRole(InetAddress vip) {
        try {
            if (route == null) {
                route = RouteClient.open();
            }
            boolean here = route.addresses(Rtnetlink.AF_UNSPEC).stream().anyMatch(a -> a.address().equals(vip));
            vipTrouble = null;
            return here ? DirectorRole.MASTER : DirectorRole.BACKUP;
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).equals(vipTrouble)) {
                vipTrouble = String.valueOf(e.getMessage());
                emit(Event.Kind.FAILED, null, null, null, "looking for VIP " + Addresses.ntop(vip) + ": " + vipTrouble);
            }
            if (route != null) {
                route.close();
                route = null;
            }
            return role;
        }
    }

    /** On the supervisor's thread: follows the file's VIP every second, if it names one. */
    private void scheduleVipWatch() {
        if (vipWatch != null) {
            vipWatch.cancel(false);
            vipWatch = null;
        }
        if (followed(file) == null) {
            return;
        }
        vipWatch = loop.scheduleWithFixedDelay(() -> {
            InetAddress vip = followed(file);
            if (vip == null || stopping) {
                return;
            }
            // A task that throws is never run again: the watch must outlive a failed record.
            try {
                DirectorRole want = vipRole(vip);
                if (want != role) {
                    takeRole(want, " (VIP " + Addresses.ntop(vip) + (want == DirectorRole.MASTER ? " here)" : " gone)"));
                }
            } catch (RuntimeException e) {
                emit(Event.Kind.FAILED, null, null, null, "following VIP " + Addresses.ntop(vip) + ": " + e.getMessage());
            }
        }, VIP_WATCH.toMillis(), VIP_WATCH.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Takes a role recorded since {@link #start} read the record: {@code jipvs ctl role} records
     * the role first and then tells serve if its socket is there, so a role reported while serve
     * was starting (keepalived is often up first) is found once serve's socket listens.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    public void adoptRecordedRole() throws InterruptedException {
        try {
            // One task: a role posted meanwhile is not overwritten by an older record.
            loop.submit(() -> {
                DirectorRole recorded = RoleRecord.load(stateDir);
                if (recorded != null && followed(file) == null) {
                    takeRole(recorded, " (recorded while serve started)");
                }
                return null;
            }).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Records a role for the serve of the calling thread's network namespace, running or not
     * (see {@link #adoptRecordedRole}).
     *
     * @param stateDir serve's state directory
     * @param role     the role
     */
    public static void recordRole(Path stateDir, DirectorRole role) {
        RoleRecord.save(stateDir, role);
    }

    /**
     * The director's role.
     *
     * @return as last reported, or backup
     */
    public DirectorRole role() {
        return role;
    }

    /** What a role means for the file's sync daemons, in words. */
    private static String daemonsOf(Supervised f, DirectorRole r) {
        if (f.syncPair() == null) {
            return " (the file has no syncDaemon block: no sync daemon follows the role)";
        }
        List<String> states = f.syncPair().daemons(r).stream().map(d -> d.state().name().toLowerCase(Locale.ROOT)).toList();
        return (states.size() == 1 ? ": sync daemon " : ": sync daemons ") + String.join(" and ", states);
    }

    /**
     * The runtime weights in force.
     *
     * @return weight by real server (0: drained)
     */
    public Map<Member, Integer> overrides() {
        return overrides;
    }

    /**
     * Reports a file that was refused on reload; nothing changes.
     *
     * @param why the errors, one per line
     */
    public void reloadFailed(String why) {
        emit(Event.Kind.RELOAD_FAILED, null, null, null, why);
    }

    /**
     * Every checked real server's state.
     *
     * @return snapshots by server
     */
    public Map<Member, HealthState.Snapshot> health() {
        return monitor.snapshot();
    }

    /**
     * Every checked real server's check durations.
     *
     * @return durations by server
     */
    public Map<Member, HealthState.Durations> durations() {
        return monitor.durations();
    }

    /**
     * Whether each supervised service had its quorum at the last reconcile.
     *
     * @return quorum by service
     */
    public Map<ServiceKey, Boolean> quorum() {
        return quorum;
    }

    /**
     * The file in force.
     *
     * @return the file
     */
    public Supervised file() {
        return file;
    }

    /**
     * What the supervisor did since it started.
     *
     * @param reconciles    reconciles run (each one a kernel dump and the changes it needed)
     * @param repairs       changes made by a periodic reconcile: drift repaired
     * @param failedChanges kernel changes that failed
     */
    public record Counts(long reconciles, long repairs, long failedChanges) {
    }

    /**
     * Its counts.
     *
     * @return the counts
     */
    public Counts counts() {
        return new Counts(reconciles.get(), repairs.get(), failedChanges.get());
    }

    /**
     * Waits until everything queued on the supervisor's thread before this call has run.
     *
     * @throws InterruptedException when interrupted
     */
    public void settle() throws InterruptedException {
        try {
            loop.submit(() -> null).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Stops the checks and leaves the table as it is: a restarted serve adopts it without a flap.
     */
    @Override
    public void close() {
        stop(false);
    }

    /**
     * Stops the checks; with {@code flush}, first deletes what jipvs created (keepalived's
     * {@code lvs_flush_on_stop}), services whole.
     *
     * @param flush delete what jipvs owns
     */
    public void stop(boolean flush) {
        // Reconciles already queued must not run on a half-stopped monitor (no state reads as healthy).
        stopping = true;
        try {
            loop.submit(() -> {
                if (repairTimer != null) {
                    repairTimer.cancel(false);
                }
                if (followUp != null) {
                    followUp.cancel(false);
                }
                if (vipWatch != null) {
                    vipWatch.cancel(false);
                }
                if (route != null) {
                    route.close();
                }
                if (flush && ipvs != null) {
                    flush();
                }
                emit(Event.Kind.STOP, null, null, null, flush ? "deleted what it created" : "table left as it is");
                if (ipvs != null) {
                    ipvs.close();
                }
                return null;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            emit(Event.Kind.FAILED, null, null, null, "stop: " + e.getCause());
        }
        monitor.close();
        loop.shutdown();
        hooks.close();
    }

    // ------------------------------------------------------------------ on the supervisor's thread

    /**
     * Checks follow the file. A server starts as the table shows it: one the kernel's service
     * lacks, or holds at weight 0 while inhibited, starts down (a restart must not put back a
     * server that was out); the rest start up, as keepalived's do.
     */
    private void watch(ActualState kernel) {
        Map<ServiceKey, Map<RealServerKey, DestinationEntry>> table = new HashMap<>();
        for (ActualState.ActualService s : kernel.services()) {
            Map<RealServerKey, DestinationEntry> ds = new HashMap<>();
            for (DestinationEntry d : s.destinations()) {
                ds.put(RealServerKey.of(d.destination()), d);
            }
            table.put(s.service().key(), ds);
        }
        Map<Member, HealthMonitor.Target> targets = new LinkedHashMap<>();
        Map<Member, HealthState.Status> initial = new HashMap<>();
        for (DesiredService s : file.state().services()) {
            Supervision sup = file.supervision().get(s.key());
            if (sup == null) {
                continue;
            }
            Map<RealServerKey, DestinationEntry> inKernel = table.get(s.key());
            for (Destination d : s.realServers()) {
                RealServerKey key = RealServerKey.of(d);
                Supervision.Policy p = sup.realServers().get(key);
                if (p == null || p.check() == null) {
                    continue;
                }
                Member m = new Member(s.key(), key);
                CheckSpec c = p.check();
                InetSocketAddress address = new InetSocketAddress(c.connectTo() != null ? c.connectTo() : d.address(),
                        c.port() != 0 ? c.port() : d.port());
                InetSocketAddress source = c.bindTo() == null ? null : new InetSocketAddress(c.bindTo(), 0);
                targets.put(m, new HealthMonitor.Target(c, address, source, label(s)));
                HealthState.Status status = HealthState.Status.UP;
                if (inKernel != null) {
                    DestinationEntry e = inKernel.get(key);
                    if (e == null || (p.inhibitOnFailure() && e.destination().weight() == 0 && d.weight() > 0)) {
                        status = HealthState.Status.DOWN;
                    }
                }
                initial.put(m, status);
            }
        }
        monitor.watch(targets, m -> initial.getOrDefault(m, HealthState.Status.UP));
    }

    private void reconcile(String reason) {
        synchronized (pendingLock) {
            pending = null;
        }
        if (stopping) {
            return;
        }
        Instant now = Instant.now();
        Supervised f = file;
        Effective eff = Effective.of(f, monitor.snapshot(), overrides, comeBack, quorum, now, role);
        reconciles.incrementAndGet();
        try (StateStore store = StateStore.openLocked(stateDir, ROLE)) {
            Ownership owned = OwnershipCodec.decode(store.loadText());
            boolean nat = listNat || eff.state().services().stream().anyMatch(s -> s.snat() != null);
            ActualState actual = reconciler.actual(eff.state(), nat);
            listNat = !actual.snat().rules().isEmpty();
            Plan plan = Planner.plan(eff.state(), actual, owned, Prune.OWNED, now, eff.withdrawn());
            Reconciler.Outcome outcome = reconciler.apply(plan, owned);
            if (!outcome.record().equals(owned)) {
                store.saveText(OwnershipCodec.encode(outcome.record()));
            }
            Set<Change> failed = new HashSet<>();
            for (Reconciler.Failure x : outcome.failures()) {
                failed.add(x.change());
                failedChanges.incrementAndGet();
                emit(Event.Kind.FAILED, null, null, x.change(), x.error().getMessage());
            }
            boolean repair = "repair".equals(reason);
            for (Change c : plan.changes()) {
                if (!failed.contains(c)) {
                    if (repair) {
                        repairs.incrementAndGet();
                    }
                    emit(repair ? Event.Kind.REPAIR : Event.Kind.CHANGE, null, null, c, reason);
                }
            }
            if (outcome.nft() != null) {
                emit(Event.Kind.FAILED, null, null, null, outcome.nft().getMessage());
            }
            if (!plan.draining().isEmpty() || eff.ramping()) {
                scheduleFollowUp();
            }
        } catch (RuntimeException e) {
            emit(Event.Kind.FAILED, null, null, null, reason + ": " + e.getMessage());
            if ("start".equals(reason)) {
                throw e;
            }
        }
        quorumEvents(f, eff);
        for (Member m : eff.held()) {
            if (!held.contains(m)) {
                emit(Event.Kind.HELD, m.service(), m, null, "failed, kept in: the depool threshold is reached");
            }
        }
        held = eff.held();
        comeBack.entrySet().removeIf(e -> {
            Supervision sup = f.supervision().get(e.getKey().service());
            Supervision.Policy p = sup == null ? null : sup.realServers().get(e.getKey().realServer());
            return p == null || !now.isBefore(e.getValue().plus(p.slowStart()));
        });
    }

    private void quorumEvents(Supervised f, Effective eff) {
        for (Map.Entry<ServiceKey, Boolean> q : eff.quorum().entrySet()) {
            Boolean before = quorum.get(q.getKey());
            boolean now = q.getValue();
            if (before != null && before != now) {
                Supervision sup = f.supervision().get(q.getKey());
                Event e = emit(now ? Event.Kind.QUORUM_GAINED : Event.Kind.QUORUM_LOST, q.getKey(), null, null,
                        sup != null && sup.sorryServer() != null ? (now ? "sorry server out" : "sorry server in") : null);
                if (sup != null) {
                    hooks.run(now ? sup.quorumUp() : sup.quorumDown(), Map.of("JIPVS_EVENT", e.kind().word(),
                            "JIPVS_SERVICE", label(q.getKey())), e);
                }
            } else if (before == null && !now) {
                emit(Event.Kind.QUORUM_LOST, q.getKey(), null, null, "at start");
            }
        }
        quorum = Map.copyOf(eff.quorum());
    }

    /** Overrides of real servers the new file no longer has are dropped, with an event each. */
    private void keepOverridesOf(Supervised next) {
        Map<Member, Integer> kept = new HashMap<>();
        overrides.forEach((m, w) -> {
            if (hasMember(next, m)) {
                kept.put(m, w);
            } else {
                emit(Event.Kind.OVERRIDE, m.service(), m, null, "dropped: the file no longer has the real server");
            }
        });
        if (kept.size() != overrides.size()) {
            Overrides.save(stateDir, kept);
            overrides = Map.copyOf(kept);
        }
    }

    private static boolean hasMember(Supervised f, Member m) {
        return f.state().service(m.service())
                .map(s -> s.realServers().stream().anyMatch(d -> RealServerKey.of(d).equals(m.realServer())))
                .orElse(false);
    }

    /** Deletes what the record says jipvs created: whole services, and its real servers in others. */
    private void flush() {
        try (StateStore store = StateStore.openLocked(stateDir, ROLE)) {
            Ownership owned = OwnershipCodec.decode(store.loadText());
            List<IpvsMutation> deletes = new ArrayList<>();
            for (ActualState.ActualService s : ActualState.dump(ipvs).services()) {
                ServiceKey key = s.service().key();
                if (owned.services().contains(key)) {
                    deletes.add(new IpvsMutation.DeleteService(key));
                    continue;
                }
                for (DestinationEntry d : s.destinations()) {
                    if (owned.realServers().contains(new Ownership.OwnedRealServer(key, RealServerKey.of(d.destination())))) {
                        deletes.add(new IpvsMutation.DeleteDestination(key, d.destination().address(), d.destination().port()));
                    }
                }
            }
            List<IpvsResult> results = deletes.isEmpty() ? List.of() : ipvs.apply(deletes);
            for (IpvsResult r : results) {
                if (!r.ok()) {
                    emit(Event.Kind.FAILED, null, null, null, "flush: " + r.error().getMessage());
                }
            }
            store.saveText(OwnershipCodec.encode(Ownership.EMPTY));
        }
    }

    private void scheduleRepair() {
        if (repairTimer != null) {
            repairTimer.cancel(false);
        }
        long every = file.repairInterval().toMillis();
        repairTimer = loop.scheduleWithFixedDelay(() -> request("repair"), every, every, TimeUnit.MILLISECONDS);
    }

    private void scheduleFollowUp() {
        if (followUp == null || followUp.isDone()) {
            followUp = loop.schedule(() -> request("follow-up"), FOLLOW_UP.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Queues one reconcile; requests made before it runs are served by it. */
    private void request(String reason) {
        synchronized (pendingLock) {
            if (pending != null) {
                return;
            }
            pending = reason;
        }
        loop.execute(() -> reconcile(reason));
    }

    // ------------------------------------------------------------------ on the check threads

    private void checked(Member m, CheckResult r, HealthState.Transition t, HealthState.Snapshot s) {
        switch (t) {
            case NONE -> {
                return;
            }
            case UP -> {
                Supervision.Policy p = policy(m);
                if (p != null && !p.slowStart().isZero()) {
                    comeBack.put(m, Instant.now());
                }
                Event e = emit(Event.Kind.UP, m.service(), m, null, r.detail());
                notify(p == null ? List.of() : p.notifyUp(), m, e);
            }
            case DOWN -> {
                comeBack.remove(m);
                Supervision.Policy p = policy(m);
                Event e = emit(Event.Kind.DOWN, m.service(), m, null, r.detail());
                notify(p == null ? List.of() : p.notifyDown(), m, e);
            }
            case WEIGHT -> emit(Event.Kind.WEIGHT, m.service(), m, null, r.detail());
            default -> {
            }
        }
        request("health");
    }

    private void notify(List<String> command, Member m, Event e) {
        hooks.run(command, Map.of("JIPVS_EVENT", e.kind().word(), "JIPVS_SERVICE", label(m.service()),
                "JIPVS_REAL_SERVER", m.realServer().toString()), e);
    }

    private Supervision.Policy policy(Member m) {
        Supervision sup = file.supervision().get(m.service());
        return sup == null ? null : sup.realServers().get(m.realServer());
    }

    private String label(ServiceKey key) {
        return file.state().service(key).map(this::label).orElse(key.toString());
    }

    private String label(DesiredService s) {
        return s.name() != null ? s.name() : s.key().toString();
    }

    private Event emit(Event.Kind kind, ServiceKey service, Member member, Change change, String detail) {
        Event e = new Event(Instant.now(), kind, service, member, change, detail);
        sink.accept(e);
        return e;
    }
}

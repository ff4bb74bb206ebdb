package io.jipvs.control.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.reconcile.ActualState.ActualService;
import io.jipvs.control.reconcile.Ownership.OwnedRealServer;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.Timeouts;
import io.jipvs.netlink.ipvs.IpvsMutation;
import io.jipvs.netlink.ipvs.IpvsResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For random kernel tables, files and ownership records over a small pool of addresses (so that
 * services and real servers collide), applying the plan to the kernel gives the file's table within
 * the managed scope, planning again gives nothing, nothing outside that scope is touched, and once
 * the drains are over the table is exactly the file's.
 */
class PlannerPropertyTest {
    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    static final List<ServiceKey> SERVICES = List.of(Tables.tcp("192.0.2.1", 80), Tables.tcp("192.0.2.1", 443),
            Tables.tcp("192.0.2.2", 80), Tables.udp("192.0.2.1", 53), Tables.udp("192.0.2.2", 53));
    static final List<String> ADDRESSES = List.of("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");

    record Case(DesiredState desired, ActualState actual, Ownership owned, Prune prune) {
    }

    @Property(tries = 400)
    void applyingThePlanGivesTheFileAndPlanningAgainGivesNothing(@ForAll("cases") Case c) {
        Plan plan = Planner.plan(c.desired(), c.actual(), c.owned(), c.prune(), NOW);
        checkScope(c, plan);
        Tables.Applied after = Tables.apply(c.actual(), plan.mutations());
        assertTrue(after.results().stream().allMatch(IpvsResult::ok), () -> "kernel refused: " + after.results());
        checkManagedEqualsDesired(c.desired(), after.state(), plan, false);
        Plan again = Planner.plan(c.desired(), after.state(), plan.ownership(), c.prune(), NOW);
        assertEquals(List.of(), again.changes(), "a second plan on the result");

        // Time passes: every drain ends, and the table becomes exactly the file's (managed part).
        Instant later = NOW.plus(Duration.ofHours(1));
        Plan finish = Planner.plan(c.desired(), after.state(), plan.ownership(), c.prune(), later);
        Tables.Applied done = Tables.apply(after.state(), finish.mutations());
        assertTrue(done.results().stream().allMatch(IpvsResult::ok), () -> "kernel refused: " + done.results());
        assertEquals(List.of(), finish.draining());
        checkManagedEqualsDesired(c.desired(), done.state(), finish, true);
        assertTrue(Planner.plan(c.desired(), done.state(), finish.ownership(), c.prune(), later).isEmpty());
    }

    /** OWNED touches only the file's and the record's entries; NONE deletes nothing; adds precede their uses. */
    private static void checkScope(Case c, Plan plan) {
        Set<ServiceKey> added = new HashSet<>();
        Set<ServiceKey> kernel = new HashSet<>();
        c.actual().services().forEach(s -> kernel.add(s.service().key()));
        for (IpvsMutation m : plan.mutations()) {
            ServiceKey service = serviceOf(m);
            if (m instanceof IpvsMutation.AddService a) {
                added.add(a.service().key());
            } else if (service != null) {
                assertTrue(kernel.contains(service) || added.contains(service), "uses a service before adding it: " + m);
            }
            boolean inFile = service != null && c.desired().service(service).isPresent();
            if (c.prune() != Prune.ALL && service != null && !inFile) {
                assertTrue(c.prune() == Prune.OWNED && c.owned().services().contains(service), "touches " + m);
            }
            if (c.prune() == Prune.NONE) {
                assertTrue(!(m instanceof IpvsMutation.DeleteService || m instanceof IpvsMutation.DeleteDestination),
                        "NONE deletes " + m);
            }
            if (c.prune() == Prune.OWNED && m instanceof IpvsMutation.DeleteDestination d && inFile) {
                assertTrue(c.owned().realServers().contains(new OwnedRealServer(service,
                        new RealServerKey(d.address(), d.port()))), "deletes a real server it does not own: " + m);
            }
        }
    }

    private static ServiceKey serviceOf(IpvsMutation m) {
        if (m instanceof IpvsMutation.AddService a) {
            return a.service().key();
        } else if (m instanceof IpvsMutation.UpdateService u) {
            return u.service().key();
        } else if (m instanceof IpvsMutation.DeleteService d) {
            return d.key();
        } else if (m instanceof IpvsMutation.AddDestination a) {
            return a.service();
        } else if (m instanceof IpvsMutation.UpdateDestination u) {
            return u.service();
        } else if (m instanceof IpvsMutation.DeleteDestination d) {
            return d.service();
        }
        return null;
    }

    /**
     * Every file service is in the kernel as the file says, with every file real server; any other
     * real server there is one the plan leaves alone or (unless {@code drained}) one still draining.
     */
    private static void checkManagedEqualsDesired(DesiredState desired, ActualState kernel, Plan plan, boolean drained) {
        Map<ServiceKey, ActualService> byKey = new LinkedHashMap<>();
        kernel.services().forEach(s -> byKey.put(s.service().key(), s));
        for (DesiredService want : desired.services()) {
            ActualService have = byKey.get(want.key());
            assertTrue(have != null, "missing " + want.key());
            assertEquals(want.service(), have.service());
            Map<RealServerKey, Destination> dests = new LinkedHashMap<>();
            have.destinations().forEach(d -> dests.put(RealServerKey.of(d.destination()), d.destination()));
            for (Destination d : want.realServers()) {
                assertEquals(d, dests.remove(RealServerKey.of(d)));
            }
            for (Destination extra : dests.values()) {
                boolean leftAlone = plan.notManaged().contains(new Plan.NotManaged(want.key(), RealServerKey.of(extra)));
                boolean draining = !drained && extra.weight() == 0 && plan.draining().stream()
                        .anyMatch(x -> x.service().equals(want.key()) && RealServerKey.of(x.realServer()).equals(RealServerKey.of(extra)));
                assertTrue(leftAlone || draining, "unexpected " + extra + " in " + want.key());
            }
        }
        for (ServiceKey k : byKey.keySet()) {
            if (desired.service(k).isEmpty()) {
                boolean leftAlone = plan.notManaged().contains(new Plan.NotManaged(k, null));
                boolean draining = !drained && plan.draining().stream().anyMatch(x -> x.service().equals(k));
                assertTrue(leftAlone || draining, "unexpected service " + k);
            }
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<DesiredState> desired = Arbitraries.subsetOf(SERVICES).flatMap(keys -> {
            List<Arbitrary<DesiredService>> services = new ArrayList<>();
            for (ServiceKey k : keys) {
                services.add(Combinators.combine(scheduler(), destinations(k), Arbitraries.of(0, 5, -1))
                        .as((sched, dests, drain) -> new DesiredService(null, Service.builder(k).scheduler(sched).build(),
                                drain < 0 ? null : Duration.ofSeconds(drain), dests)));
            }
            return Combinators.combine(services).as(list -> new DesiredState(list, null, null, Map.of()));
        });
        Arbitrary<ActualState> actual = Arbitraries.subsetOf(SERVICES).flatMap(keys -> {
            List<Arbitrary<ActualService>> services = new ArrayList<>();
            for (ServiceKey k : keys) {
                services.add(Combinators.combine(scheduler(), entries(k)).as((sched, entries) ->
                        new ActualService(Service.builder(k).scheduler(sched).build(), entries)));
            }
            return Combinators.combine(services).as(list -> new ActualState(list, new Timeouts(900, 120, 300), List.of(),
                    Map.of()));
        });
        Arbitrary<Prune> prune = Arbitraries.of(Prune.class);
        return Combinators.combine(desired, actual, prune, Arbitraries.integers().between(0, 1 << 20))
                .as((d, a, p, seed) -> new Case(d, a, ownership(d, a, seed), p));
    }

    /** A record owning a pseudo-random part of what the file and the kernel have. */
    private static Ownership ownership(DesiredState d, ActualState a, int seed) {
        Set<ServiceKey> services = new HashSet<>();
        Set<OwnedRealServer> realServers = new HashSet<>();
        int bit = 0;
        for (ActualService s : a.services()) {
            if ((seed >> (bit++ % 20) & 1) != 0) {
                services.add(s.service().key());
            }
            for (DestinationEntry e : s.destinations()) {
                if ((seed >> (bit++ % 20) & 1) != 0) {
                    realServers.add(new OwnedRealServer(s.service().key(), RealServerKey.of(e.destination())));
                }
            }
        }
        for (DesiredService s : d.services()) {
            if ((seed >> (bit++ % 20) & 1) != 0) {
                services.add(s.key());
            }
        }
        return new Ownership(services, realServers, Set.of());
    }

    private static Arbitrary<String> scheduler() {
        return Arbitraries.of("rr", "wrr", "wlc");
    }

    private static Arbitrary<Destination> destination(ServiceKey k) {
        return Combinators.combine(Arbitraries.of(ADDRESSES), Arbitraries.of(k.port(), 8080), Arbitraries.integers().between(0, 3))
                .as((address, port, weight) -> Tables.rs(address, port, weight));
    }

    private static Arbitrary<List<Destination>> destinations(ServiceKey k) {
        return destination(k).list().ofMaxSize(4).map(PlannerPropertyTest::unique);
    }

    private static Arbitrary<List<DestinationEntry>> entries(ServiceKey k) {
        return Combinators.combine(destinations(k), Arbitraries.integers().between(0, 255)).as((dests, counts) -> {
            List<DestinationEntry> out = new ArrayList<>();
            for (int i = 0; i < dests.size(); i++) {
                int n = (counts >> (2 * i)) & 3;
                out.add(Tables.entry(dests.get(i), n / 2, n % 2));
            }
            return out;
        });
    }

    private static List<Destination> unique(List<Destination> list) {
        Map<RealServerKey, Destination> m = new LinkedHashMap<>();
        list.forEach(d -> m.putIfAbsent(RealServerKey.of(d), d));
        return new ArrayList<>(m.values());
    }
}

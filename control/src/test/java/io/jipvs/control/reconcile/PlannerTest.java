package io.jipvs.control.reconcile;

import static io.jipvs.control.reconcile.Tables.entry;
import static io.jipvs.control.reconcile.Tables.have;
import static io.jipvs.control.reconcile.Tables.key;
import static io.jipvs.control.reconcile.Tables.rs;
import static io.jipvs.control.reconcile.Tables.tcp;
import static io.jipvs.control.reconcile.Tables.udp;
import static io.jipvs.control.reconcile.Tables.want;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.reconcile.ActualState.ActualService;
import io.jipvs.control.reconcile.Ownership.Drain;
import io.jipvs.control.reconcile.Ownership.OwnedRealServer;
import io.jipvs.model.Destination;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import io.jipvs.model.Timeouts;
import io.jipvs.netlink.ipvs.IpvsMutation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reconcile rules of jipvs apply, one case each. */
class PlannerTest {
    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    static final ServiceKey WEB = tcp("192.0.2.10", 80);
    static final ServiceKey DNS = udp("192.0.2.10", 53);
    static final ServiceKey FOREIGN = tcp("192.0.2.99", 80);
    static final Destination A = rs("10.0.0.11", 80, 1);
    static final Destination B = rs("10.0.0.12", 80, 1);

    static DesiredState desired(DesiredService... services) {
        return new DesiredState(List.of(services), null, null, Map.of());
    }

    static ActualState actual(ActualService... services) {
        return new ActualState(List.of(services), new Timeouts(900, 120, 300), List.of(), Map.of());
    }

    static Plan plan(DesiredState d, ActualState a, Ownership o, Prune p) {
        return Planner.plan(d, a, o, p, NOW);
    }

    static Ownership owns(ServiceKey service, Destination... realServers) {
        return new Ownership(Set.of(service), java.util.Arrays.stream(realServers)
                .map(r -> new OwnedRealServer(service, key(r))).collect(java.util.stream.Collectors.toSet()), Set.of());
    }

    @Test
    void fromEmptyTheServiceComesBeforeItsRealServersAndAllIsOwned() {
        Plan p = plan(desired(want(WEB, "wrr", A, B)), ActualState.EMPTY, Ownership.EMPTY, Prune.OWNED);
        assertEquals(3, p.changes().size());
        assertInstanceOf(Change.AddService.class, p.changes().get(0));
        assertInstanceOf(Change.AddRealServer.class, p.changes().get(1));
        assertEquals(owns(WEB, A, B), p.ownership());
    }

    @Test
    void planningWhatTheKernelAlreadyHoldsYieldsNothing() {
        Plan p = plan(desired(want(WEB, "wrr", A, B)), actual(have(WEB, "wrr", entry(A), entry(B))), owns(WEB, A, B),
                Prune.OWNED);
        assertTrue(p.isEmpty());
        assertEquals(List.of(), p.mutations());
    }

    @Test
    void aChangedSchedulerAndWeightAreEditedInPlace() {
        Plan p = plan(desired(want(WEB, "wrr", A.withWeight(5))), actual(have(WEB, "rr", entry(A))), owns(WEB, A),
                Prune.OWNED);
        assertEquals(2, p.changes().size());
        Change.EditService s = assertInstanceOf(Change.EditService.class, p.changes().get(0));
        assertEquals("rr", s.from().scheduler());
        Change.EditRealServer r = assertInstanceOf(Change.EditRealServer.class, p.changes().get(1));
        assertEquals(5, r.to().weight());
    }

    @Test
    void forwardingThresholdsAndTunnelsAreEditsToo() {
        Destination tunnelled = A.withTunnel(io.jipvs.model.TunnelType.GUE, 6080, io.jipvs.model.TunnelChecksum.CSUM)
                .withThresholds(100, 10);
        Plan p = plan(desired(want(WEB, "wlc", tunnelled)), actual(have(WEB, "wlc", entry(A))), owns(WEB, A), Prune.OWNED);
        assertEquals(List.of(new Change.EditRealServer(WEB, A, tunnelled)), p.changes());
    }

    @Test
    void theKernelsLocalMatchesAnyWantedMethod() {
        Destination local = A.withForwarding(ForwardingMethod.LOCAL);
        Plan p = plan(desired(want(WEB, "wlc", A.withForwarding(ForwardingMethod.ROUTE))),
                actual(have(WEB, "wlc", entry(local))), owns(WEB, A), Prune.OWNED);
        assertTrue(p.isEmpty());
    }

    @Test
    void aNewPortIsANewRealServerAndTheOldOneLeaves() {
        Destination moved = rs("10.0.0.11", 8080, 1);
        Plan p = plan(desired(want(WEB, "wlc", moved)), actual(have(WEB, "wlc", entry(A))), owns(WEB, A), Prune.OWNED);
        assertEquals(List.of(new Change.AddRealServer(WEB, moved), new Change.DeleteRealServer(WEB, A)), p.changes());
    }

    @Test
    void aServiceMadeByIpvsadmIsAdoptedButNotOwned() {
        Plan p = plan(desired(want(WEB, "wrr", A)), actual(have(WEB, "rr")), Ownership.EMPTY, Prune.OWNED);
        assertInstanceOf(Change.EditService.class, p.changes().get(0));
        assertEquals(Set.of(), p.ownership().services());
        assertEquals(Set.of(new OwnedRealServer(WEB, key(A))), p.ownership().realServers());
    }

    @Test
    void aForeignServiceIsNotManagedUnderOwnedAndNoneButDeletedUnderAll() {
        ActualState a = actual(have(WEB, "wlc", entry(A)), have(FOREIGN, "rr", entry(B)));
        DesiredState d = desired(want(WEB, "wlc", A));
        for (Prune keep : List.of(Prune.OWNED, Prune.NONE)) {
            Plan p = plan(d, a, owns(WEB, A), keep);
            assertTrue(p.changes().isEmpty(), keep.toString());
            assertEquals(List.of(new Plan.NotManaged(FOREIGN, null)), p.notManaged());
        }
        Plan all = plan(d, a, owns(WEB, A), Prune.ALL);
        assertEquals(List.of(new Change.DeleteService(a.services().get(1).service())), all.changes());
    }

    @Test
    void aForeignRealServerInAManagedServiceIsLeftAlone() {
        Plan p = plan(desired(want(WEB, "wlc", A)), actual(have(WEB, "wlc", entry(A), entry(B))), owns(WEB, A),
                Prune.OWNED);
        assertTrue(p.changes().isEmpty());
        assertEquals(List.of(new Plan.NotManaged(WEB, key(B))), p.notManaged());
    }

    @Test
    void anOwnedRealServerWithoutConnectionsIsDeletedAtOnce() {
        Plan p = plan(desired(want(WEB, "wlc", A)), actual(have(WEB, "wlc", entry(A), entry(B))), owns(WEB, A, B),
                Prune.OWNED);
        assertEquals(List.of(new Change.DeleteRealServer(WEB, B)), p.changes());
        assertEquals(owns(WEB, A), p.ownership());
    }

    @Test
    void anOwnedRealServerWithConnectionsDrainsFirst() {
        Plan p = plan(desired(want(WEB, Duration.ofSeconds(30), A)),
                actual(have(WEB, "wlc", entry(A), entry(B.withWeight(4), 2, 3))), owns(WEB, A, B), Prune.OWNED);
        Instant deadline = NOW.plusSeconds(30);
        assertEquals(List.of(new Change.DrainRealServer(WEB, B.withWeight(4), deadline)), p.changes());
        assertEquals(List.of(new IpvsMutation.UpdateDestination(WEB, B.withWeight(0))), p.mutations());
        assertEquals(List.of(new Plan.Draining(WEB, B.withWeight(4), 5, deadline)), p.draining());
        assertEquals(Set.of(new Drain(WEB, key(B), deadline)), p.ownership().drains());
    }

    @Test
    void aDrainingRealServerWaitsThenGoesWhenItsConnectionsEndOrItsDeadlinePasses() {
        Instant deadline = NOW.plusSeconds(10);
        Ownership draining = new Ownership(Set.of(WEB), owns(WEB, A, B).realServers(), Set.of(new Drain(WEB, key(B), deadline)));
        DesiredState d = desired(want(WEB, "wlc", A));
        Plan waiting = plan(d, actual(have(WEB, "wlc", entry(A), entry(B.withWeight(0), 1, 0))), draining, Prune.OWNED);
        assertEquals(List.of(), waiting.changes());
        assertEquals(1, waiting.draining().size());
        Plan closed = plan(d, actual(have(WEB, "wlc", entry(A), entry(B.withWeight(0)))), draining, Prune.OWNED);
        assertEquals(List.of(new Change.DeleteRealServer(WEB, B.withWeight(0))), closed.changes());
        assertEquals(Set.of(), closed.ownership().drains());
        Plan late = Planner.plan(d, actual(have(WEB, "wlc", entry(A), entry(B.withWeight(0), 9, 9))), draining,
                Prune.OWNED, deadline);
        assertEquals(List.of(new Change.DeleteRealServer(WEB, B.withWeight(0))), late.changes());
    }

    @Test
    void someoneRaisingADrainingWeightGetsItZeroedAgainWithTheSameDeadline() {
        Instant deadline = NOW.plusSeconds(10);
        Ownership draining = new Ownership(Set.of(WEB), owns(WEB, A, B).realServers(), Set.of(new Drain(WEB, key(B), deadline)));
        Plan p = plan(desired(want(WEB, "wlc", A)), actual(have(WEB, "wlc", entry(A), entry(B.withWeight(3), 1, 0))),
                draining, Prune.OWNED);
        assertEquals(List.of(new Change.DrainRealServer(WEB, B.withWeight(3), deadline)), p.changes());
    }

    @Test
    void udpRealServersGoAtOnceUnlessTheFileAsksForADrain() {
        Destination a = rs("10.0.0.11", 53, 1);
        Destination b = rs("10.0.0.12", 53, 1);
        ActualState act = actual(new ActualService(io.jipvs.model.Service.builder(DNS).build(),
                List.of(entry(a), entry(b, 0, 7))));
        Plan atOnce = plan(desired(want(DNS, (Duration) null, a)), act, owns(DNS, a, b), Prune.OWNED);
        assertEquals(List.of(new Change.DeleteRealServer(DNS, b)), atOnce.changes());
        Plan drained = plan(desired(want(DNS, Duration.ofSeconds(5), a)), act, owns(DNS, a, b), Prune.OWNED);
        assertInstanceOf(Change.DrainRealServer.class, drained.changes().get(0));
    }

    @Test
    void aDrainingRealServerBackInTheFileIsEditedBackAndItsDrainForgotten() {
        Ownership draining = new Ownership(Set.of(WEB), owns(WEB, A, B).realServers(),
                Set.of(new Drain(WEB, key(B), NOW.plusSeconds(10))));
        Plan p = plan(desired(want(WEB, "wlc", A, B)), actual(have(WEB, "wlc", entry(A), entry(B.withWeight(0), 1, 0))),
                draining, Prune.OWNED);
        assertEquals(List.of(new Change.EditRealServer(WEB, B.withWeight(0), B)), p.changes());
        assertEquals(Set.of(), p.ownership().drains());
    }

    @Test
    void anOwnedServiceLeavingDrainsItsRealServersThenGoes() {
        ActualState busy = actual(have(WEB, "wlc", entry(A, 1, 0), entry(B)));
        Plan p = plan(DesiredState.EMPTY, busy, owns(WEB, A, B), Prune.OWNED);
        assertEquals(List.of(new Change.DrainRealServer(WEB, A, NOW.plus(Planner.defaultDrainTimeout(WEB)))), p.changes());
        assertEquals(Set.of(WEB), p.ownership().services());
        Plan quiet = plan(DesiredState.EMPTY, actual(have(WEB, "wlc", entry(A.withWeight(0)), entry(B))), p.ownership(),
                Prune.OWNED);
        assertInstanceOf(Change.DeleteService.class, quiet.changes().get(0));
        assertEquals(Ownership.EMPTY, quiet.ownership());
    }

    @Test
    void anOwnedServiceDeletedBehindOurBackIsAddedAgainAndStaysOwned() {
        Plan p = plan(desired(want(WEB, "wlc", A)), ActualState.EMPTY, owns(WEB, A), Prune.OWNED);
        assertInstanceOf(Change.AddService.class, p.changes().get(0));
        assertEquals(owns(WEB, A), p.ownership());
    }

    @Test
    void ownedEntriesGoneFromKernelAndFileAreForgotten() {
        Plan p = plan(DesiredState.EMPTY, ActualState.EMPTY, owns(WEB, A, B), Prune.OWNED);
        assertTrue(p.isEmpty());
        assertEquals(Ownership.EMPTY, p.ownership());
    }

    @Test
    void timeoutsCompareOnlyTheFieldsTheFileSets() {
        DesiredState tcpOnly = new DesiredState(List.of(), new Timeouts(600, 0, 0), null, Map.of());
        Plan p = plan(tcpOnly, ActualState.EMPTY, Ownership.EMPTY, Prune.OWNED);
        assertEquals(List.of(new Change.SetTimeouts(new Timeouts(900, 120, 300), new Timeouts(600, 0, 0))), p.changes());
        DesiredState same = new DesiredState(List.of(), new Timeouts(900, 0, 0), null, Map.of());
        assertTrue(plan(same, ActualState.EMPTY, Ownership.EMPTY, Prune.OWNED).isEmpty());
    }

    @Test
    void aChangedDaemonIsStoppedThenStartedAndUnsetFieldsMatchTheKernelsDefaults() {
        SyncDaemon running = new SyncDaemon(SyncState.MASTER, "eth0", 1, 1472, null, 8848, 1);
        ActualState a = new ActualState(List.of(), new Timeouts(900, 120, 300), List.of(running), Map.of());
        DesiredState same = new DesiredState(List.of(), null, List.of(SyncDaemon.of(SyncState.MASTER, "eth0", 1)), Map.of());
        assertTrue(plan(same, a, Ownership.EMPTY, Prune.OWNED).isEmpty());
        SyncDaemon other = SyncDaemon.of(SyncState.MASTER, "eth1", 1);
        DesiredState changed = new DesiredState(List.of(), null, List.of(other), Map.of());
        assertEquals(List.of(new Change.StopDaemon(running), new Change.StartDaemon(other)),
                plan(changed, a, Ownership.EMPTY, Prune.OWNED).changes());
        DesiredState none = new DesiredState(List.of(), null, List.of(), Map.of());
        assertEquals(List.of(new Change.StopDaemon(running)), plan(none, a, Ownership.EMPTY, Prune.OWNED).changes());
    }

    @Test
    void sysctlsComeFirstAndOnlyWhenTheyDiffer() {
        DesiredState d = new DesiredState(List.of(want(WEB, "wlc")), null, null, Map.of("conntrack", 1, "sloppy_tcp", 0));
        ActualState a = ActualState.EMPTY.withSysctls(Map.of("conntrack", 0, "sloppy_tcp", 0));
        Plan p = plan(d, a, Ownership.EMPTY, Prune.OWNED);
        assertEquals(new Change.SetSysctl("conntrack", 0, 1), p.changes().get(0));
        assertEquals(2, p.changes().size());
    }

    @Test
    void aFailedAddLeavesNothingOwnedAndAFailedDeleteKeepsIt() {
        Plan p = plan(desired(want(WEB, "wlc", A)), actual(have(FOREIGN, "rr", entry(B))), owns(FOREIGN, B), Prune.OWNED);
        // The kernel refuses the service (say, no such scheduler module): its real server fails too.
        List<IpvsMutation> batch = p.mutations();
        var refused = new io.jipvs.netlink.ipvs.IpvsException(io.jipvs.netlink.ipvs.IpvsOperation.ADD_SERVICE,
                io.jipvs.netlink.Errno.ENOENT, null);
        var noService = new io.jipvs.netlink.ipvs.IpvsException(io.jipvs.netlink.ipvs.IpvsOperation.ADD_DESTINATION,
                io.jipvs.netlink.Errno.ESRCH, null);
        var busy = new io.jipvs.netlink.ipvs.IpvsException(io.jipvs.netlink.ipvs.IpvsOperation.DELETE_SERVICE,
                io.jipvs.netlink.Errno.EBUSY, null);
        Ownership after = Planner.recordAfter(owns(FOREIGN, B), p, List.of(
                new io.jipvs.netlink.ipvs.IpvsResult(batch.get(0), refused),
                new io.jipvs.netlink.ipvs.IpvsResult(batch.get(1), noService),
                new io.jipvs.netlink.ipvs.IpvsResult(batch.get(2), busy)));
        assertEquals(owns(FOREIGN, B), after);
    }

    @Test
    void theBatchAppliedToTheKernelGivesTheFilesTableAndAQuietReplan() {
        DesiredState d = desired(want(WEB, "wrr", A.withWeight(3), B), want(tcp("192.0.2.11", 443), "rr", A));
        ActualState a = actual(have(WEB, "rr", entry(A)), have(FOREIGN, "rr"));
        Plan p = plan(d, a, Ownership.EMPTY, Prune.OWNED);
        Tables.Applied applied = Tables.apply(a, p.mutations());
        assertTrue(applied.results().stream().allMatch(io.jipvs.netlink.ipvs.IpvsResult::ok));
        assertTrue(plan(d, applied.state(), p.ownership(), Prune.OWNED).isEmpty());
    }
}

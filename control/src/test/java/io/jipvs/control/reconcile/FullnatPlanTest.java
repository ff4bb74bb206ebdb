package io.jipvs.control.reconcile;

import static io.jipvs.control.reconcile.PlannerTest.A;
import static io.jipvs.control.reconcile.PlannerTest.WEB;
import static io.jipvs.control.reconcile.PlannerTest.actual;
import static io.jipvs.control.reconcile.PlannerTest.desired;
import static io.jipvs.control.reconcile.PlannerTest.owns;
import static io.jipvs.control.reconcile.PlannerTest.plan;
import static io.jipvs.control.reconcile.Tables.entry;
import static io.jipvs.control.reconcile.Tables.have;
import static io.jipvs.control.reconcile.Tables.want;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.fullnat.Snat;
import io.jipvs.control.fullnat.SnatTable;
import io.jipvs.model.Addresses;
import io.jipvs.model.ServiceKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A FULLNAT service's source NAT rule and vs.conntrack, planned with the service. */
class FullnatPlanTest {
    static final Snat MASQUERADE = Snat.masquerade(WEB);
    static final Snat POOL = new Snat(WEB, List.of(Addresses.literal("10.3.0.21"), Addresses.literal("10.3.0.22")));

    static DesiredService fullnat(DesiredService s, Snat snat) {
        return new DesiredService(s.name(), s.service(), s.drainTimeout(), s.realServers(), snat);
    }

    static SnatTable table(Snat... rules) {
        Map<ServiceKey, SnatTable.Installed> m = new java.util.HashMap<>();
        for (int i = 0; i < rules.length; i++) {
            m.put(rules[i].service(), new SnatTable.Installed(i + 2, rules[i]));
        }
        return new SnatTable(true, m, List.of());
    }

    @Test
    void aNewFullnatServiceGetsConntrackThenItsRuleThenTheService() {
        Plan p = plan(desired(fullnat(want(WEB, "rr", A), MASQUERADE)), ActualState.EMPTY, Ownership.EMPTY, Prune.OWNED);
        assertEquals(List.of(new Change.SetSysctl(DesiredState.CONNTRACK, null, 1),
                new Change.SetSnat(WEB, Optional.empty(), Optional.of(MASQUERADE)),
                new Change.AddService(want(WEB, "rr").service()), new Change.AddRealServer(WEB, A)), p.changes());
    }

    @Test
    void whatTheTableAndKernelHoldAlreadyIsNothingToDo() {
        ActualState a = actual(have(WEB, "rr", entry(A))).withSnat(table(MASQUERADE)).withSysctls(Map.of("conntrack", 1));
        assertTrue(plan(desired(fullnat(want(WEB, "rr", A), MASQUERADE)), a, owns(WEB, A), Prune.OWNED).isEmpty());
    }

    @Test
    void aPoolReplacesMasqueradeAndNatDropsTheRule() {
        ActualState a = actual(have(WEB, "rr", entry(A))).withSnat(table(MASQUERADE)).withSysctls(Map.of("conntrack", 1));
        assertEquals(List.of(new Change.SetSnat(WEB, Optional.of(MASQUERADE), Optional.of(POOL))),
                plan(desired(fullnat(want(WEB, "rr", A), POOL)), a, owns(WEB, A), Prune.OWNED).changes());
        assertEquals(List.of(new Change.SetSnat(WEB, Optional.of(MASQUERADE), Optional.empty())),
                plan(desired(want(WEB, "rr", A)), a, owns(WEB, A), Prune.OWNED).changes());
    }

    @Test
    void aLeavingServicesRuleGoesAfterItAndAnotherMakersRuleStays() {
        ServiceKey other = PlannerTest.FOREIGN;
        ActualState a = actual(have(WEB, "rr", entry(A, 0, 0))).withSnat(table(MASQUERADE, Snat.masquerade(other)));
        Plan p = plan(desired(), a, owns(WEB, A), Prune.OWNED);
        assertEquals(List.of(new Change.DeleteService(want(WEB, "rr").service()),
                new Change.SetSnat(WEB, Optional.of(MASQUERADE), Optional.empty())), p.changes());
    }

    @Test
    void exportReadsFullnatBackFromTheTable() {
        ActualState a = actual(have(WEB, "rr", entry(A))).withSnat(table(POOL));
        assertEquals(POOL, a.toDesired().services().get(0).snat());
    }
}

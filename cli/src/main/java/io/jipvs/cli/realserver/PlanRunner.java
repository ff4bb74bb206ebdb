package io.jipvs.cli.realserver;

import io.jipvs.control.host.Applier;
import io.jipvs.control.host.Host;
import io.jipvs.control.host.Plan;
import io.jipvs.control.host.State;
import io.jipvs.control.host.StateStore;
import java.io.PrintWriter;

/** Prints a plan, or applies it and records the resulting state; shared by the setup/teardown commands. */
final class PlanRunner {
    private PlanRunner() {
    }

    /** {@code store} is null for a dry run, which records nothing. */
    static int execute(Plan plan, State before, StateStore store, Host host, PrintWriter out, String nothingToDo) {
        plan.notes().forEach(n -> out.println("note: " + n));
        if (plan.isEmpty()) {
            out.println("nothing to do: " + nothingToDo);
            if (store != null && !plan.newState().equals(before)) {
                store.save(plan.newState());
            }
            return Session.OK;
        }
        if (store == null) {
            out.println("would:");
            plan.steps().forEach(s -> out.println("  " + s.describe()));
            out.println("dry run: nothing changed");
            return Session.OK;
        }
        // Everything this run may change is recorded before the first change: if the record
        // cannot be written, nothing is changed; a run killed half-way leaves a record of more
        // than it did, which teardown handles (what is already gone is only noted). A failed
        // step is rolled back and the old record put back, unless the rollback failed too: then
        // the wider record stays, so that teardown can still find what was left.
        store.save(merge(before, plan.newState()));
        Applier.Result result;
        try {
            result = Applier.apply(plan.steps(), host, s -> out.println("  " + s.describe()));
        } catch (Applier.ApplyException e) {
            if (e.rolledBack()) {
                store.save(before);
            }
            throw e;
        }
        store.save(plan.stateAfter(result, before));
        out.println("done: " + plan.steps().size() + " change" + (plan.steps().size() == 1 ? "" : "s")
                + (plan.newState().isEmpty() ? "; nothing left recorded" : "; recorded in " + store.file()));
        out.flush();
        return Session.OK;
    }

    /** Everything either state knows about, so teardown after a crash finds every change. */
    private static State merge(State before, State after) {
        java.util.List<State.VipRecord> vips = new java.util.ArrayList<>(after.vips());
        before.vips().stream().filter(v -> !vips.contains(v)).forEach(vips::add);
        java.util.List<State.SysctlRecord> sysctls = new java.util.ArrayList<>(after.sysctls());
        before.sysctls().stream().filter(r -> after.sysctl(r.key()).isEmpty()).forEach(sysctls::add);
        java.util.List<State.LinkRecord> links = new java.util.ArrayList<>(after.links());
        before.links().stream().filter(l -> after.link(l.device()).isEmpty()).forEach(links::add);
        return new State(vips, sysctls, links);
    }
}

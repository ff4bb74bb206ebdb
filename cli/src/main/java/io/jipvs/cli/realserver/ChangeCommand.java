package io.jipvs.cli.realserver;

import io.jipvs.control.host.Host;
import io.jipvs.control.host.Observed;
import io.jipvs.control.host.Plan;
import io.jipvs.control.host.State;
import io.jipvs.control.host.StateStore;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * A helper that changes the host: it plans against what it observes and what it recorded
 * before, then applies the plan (or with --dry-run only prints it) and records the outcome.
 */
abstract class ChangeCommand extends HelperCommand {

    @Option(names = "--dry-run", description = "Print the steps without doing them.")
    boolean dryRun;

    interface Planning {
        Plan plan(Host host, Observed observed, State recorded);
    }

    /**
     * @param kind        which record this command keeps ("rs" or "director")
     * @param heading     printed before the steps, or null
     * @param nothingToDo what to say when the plan is empty
     */
    final int change(PrintWriter out, PrintWriter err, String kind, String heading, Planning planning,
            String nothingToDo) {
        return Session.run(name(), where, !dryRun, err, (host, dir) -> {
            if (dryRun) {
                // Changes nothing, so no lock: the record is always read whole (saves replace it).
                return planAndRun(StateStore.read(dir, kind), null, host, out, heading, planning, nothingToDo);
            }
            // Load, observe, apply and save under one lock: a concurrent run would otherwise plan
            // from a record or a host this one is about to change, and its save would drop ours.
            try (StateStore store = StateStore.openLocked(dir, kind)) {
                return planAndRun(store.load(), store, host, out, heading, planning, nothingToDo);
            }
        });
    }

    /** Plans from {@code before} and what the host shows now, then runs it ({@code store} null: a dry run). */
    private static int planAndRun(State before, StateStore store, Host host, PrintWriter out, String heading,
                                  Planning planning, String nothingToDo) {
        Plan plan = planning.plan(host, host.observe(), before);
        if (heading != null) {
            out.println(heading);
        }
        return PlanRunner.execute(plan, before, store, host, out, nothingToDo);
    }
}

package io.jipvs.cli.desired;

import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.host.StateStore;
import io.jipvs.control.reconcile.OwnershipCodec;
import io.jipvs.control.reconcile.Plan;
import io.jipvs.control.reconcile.Planner;
import io.jipvs.control.reconcile.Prune;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jipvs diff: what apply would do. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        header = "Show what jipvs apply -f FILE would change.", description = {
        "Show what `jipvs apply -f FILE` would change: + add, ~ edit (field old → new), - delete,",
        "drain (weight 0 before deletion), not managed (left alone).",
        "Exit status: 0 nothing to do, 1 changes, 2 error."})
public final class DiffCommand extends PlanCommand {

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Override
    int act(DesiredState desired, Prune mode, PrintWriter out, PrintWriter err) {
        // diff's convention: 1 means "there are changes", so a failure exits 2.
        return inTable(out, err, USAGE, (ipvs, o, e) -> {
            // Reads only: no lock, since every save replaces the record whole.
            var owned = OwnershipCodec.decode(StateStore.readText(stateDir, ROLE, namespaceKey()));
            Instant now = Instant.now();
            Plan plan = Planner.plan(desired, actual(ipvs, desired), owned, mode, now);
            if (json) {
                PlanPrinter.json(plan, now, o);
            } else {
                PlanPrinter.text(plan, now, o);
            }
            return plan.isEmpty() ? OK : FAILED;
        });
    }
}

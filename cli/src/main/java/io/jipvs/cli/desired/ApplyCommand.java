package io.jipvs.cli.desired;

import io.jipvs.cli.ipvsadm.IpvsadmErrors;
import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.fullnat.Nft;
import io.jipvs.control.fullnat.NftException;
import io.jipvs.control.fullnat.Snat;
import io.jipvs.control.host.Checks;
import io.jipvs.control.host.StateStore;
import io.jipvs.control.reconcile.Change;
import io.jipvs.control.reconcile.Ownership;
import io.jipvs.control.reconcile.OwnershipCodec;
import io.jipvs.control.reconcile.Plan;
import io.jipvs.control.reconcile.Planner;
import io.jipvs.control.reconcile.Prune;
import io.jipvs.control.reconcile.Reconciler;
import io.jipvs.model.Destination;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.ipvs.Ipvs;
import io.jipvs.netlink.ipvs.IpvsResult;
import io.jipvs.netlink.route.RouteClient;
import io.jipvs.netlink.sysctl.Sysctl;
import io.jipvs.netlink.sysctl.SysctlException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jipvs apply: make the kernel's table what a file says, touching only what jipvs owns, draining first. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        header = "Make the IPVS table what a desired-state file says, draining what leaves.", description = {
        "Make the IPVS table what FILE says: one kernel dump, one netlink batch of changes (edits in place),",
        "deleting only what jipvs created and FILE no longer has (--prune=owned), after draining real servers",
        "that leave: weight 0 until their connections end or drainTimeout passes."})
public final class ApplyCommand extends PlanCommand {
    /** How often a drain is looked at again: the kernel has no event for a connection count. */
    static final Duration POLL = Duration.ofSeconds(1);

    @Option(names = "--dry-run", description = "Print the plan (as jipvs diff) and change nothing.")
    boolean dryRun;

    @Option(names = "--no-wait", description = "Do not wait for drains: the next apply deletes what has drained.")
    boolean noWait;

    @Override
    int act(DesiredState desired, Prune mode, PrintWriter out, PrintWriter err) {
        return inTable(out, err, (ipvs, o, e) -> {
            if (dryRun) {
                Ownership owned = OwnershipCodec.decode(StateStore.readText(stateDir, ROLE, namespaceKey()));
                Instant now = Instant.now();
                PlanPrinter.text(Planner.plan(desired, actual(ipvs, desired), owned, mode, now), now, o);
                return OK;
            }
            // The kernel judges the caller (its own netlink socket, through the daemon too) before
            // anything is locked or written as root.
            ipvs.info();
            try (StateStore store = StateStore.openLocked(stateDir, ROLE)) {
                return run(ipvs, store, desired, mode, o, e);
            }
        });
    }

    private int run(Ipvs ipvs, StateStore store, DesiredState desired, Prune mode, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        Ownership owned;
        try {
            owned = OwnershipCodec.decode(store.loadText());
        } catch (IllegalArgumentException e) {
            throw store.damaged(e);
        }
        Progress progress = new Progress(err, !servedByDaemon() && System.console() != null);
        Reconciler reconciler = new Reconciler(ipvs);
        for (boolean first = true; ; first = false) {
            Instant now = Instant.now();
            Plan plan = Planner.plan(desired, reconciler.actual(desired), owned, mode, now);
            if (first) {
                PlanPrinter.text(plan, now, out);
                warnUnroutable(desired, err);
            } else {
                for (Change c : plan.changes()) {
                    progress.clear();
                    out.println(PlanPrinter.line(c, now));
                }
            }
            out.flush();
            Reconciler.Outcome outcome;
            try {
                outcome = reconciler.apply(plan, owned);
            } catch (SysctlException e) {
                err.println(spec.name() + ": " + e.getMessage() + " (nothing else was changed)");
                return FAILED;
            } catch (NftException e) {
                err.println(spec.name() + ": " + e.getMessage() + " (the IPVS table was not changed)");
                return FAILED;
            }
            if (!outcome.record().equals(owned)) {
                // A record of thousands of entries costs a JSON encoding and an fsync: only when it changed.
                store.saveText(OwnershipCodec.encode(outcome.record()));
                owned = outcome.record();
            }
            if (outcome.nft() != null) {
                err.println(spec.name() + ": " + outcome.nft().getMessage());
                return FAILED;
            }
            for (Reconciler.Failure f : outcome.failures()) {
                err.println(spec.name() + ": " + PlanPrinter.line(f.change(), now) + ": " + IpvsadmErrors.text(f.error()));
            }
            if (!outcome.failures().isEmpty()) {
                progress.clear();
                return FAILED;
            }
            if (plan.draining().isEmpty()) {
                progress.clear();
                return OK;
            }
            if (noWait) {
                out.println("not waiting: the next apply deletes what has drained");
                return OK;
            }
            progress.show(plan.draining(), now);
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Names each masquerading real server of a FULLNAT service this host has no route to. */
    private void warnUnroutable(DesiredState desired, PrintWriter err) {
        if (desired.services().stream().noneMatch(s -> s.snat() != null)) {
            return;
        }
        try (RouteClient route = RouteClient.open()) {
            for (DesiredService s : desired.services()) {
                if (s.snat() == null) {
                    continue;
                }
                for (Destination d : s.realServers()) {
                    if (d.forwarding() == ForwardingMethod.MASQ && route.route(d.address()).isEmpty()) {
                        err.println(spec.name() + ": warning: " + s.key() + ": " + Checks.unroutable(d.address()));
                    }
                }
            }
        }
    }




    /** The drains apply waits for, on one updating line of a terminal (nothing otherwise: stdout says it). */
    private static final class Progress {
        private final PrintWriter err;
        private final boolean terminal;
        private boolean shown;

        Progress(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        void show(List<Plan.Draining> draining, Instant now) {
            if (!terminal) {
                return;
            }
            List<String> parts = new ArrayList<>();
            for (Plan.Draining d : draining) {
                parts.add(RealServerKey.of(d.realServer()) + " " + d.connections() + " conn, "
                        + Math.max(0, Duration.between(now, d.deadline()).toSeconds()) + " s");
            }
            err.print("\r\033[Kdraining " + draining.size() + ": " + String.join("; ", parts));
            err.flush();
            shown = true;
        }

        void clear() {
            if (shown) {
                err.print("\r\033[K");
                err.flush();
                shown = false;
            }
        }
    }
}

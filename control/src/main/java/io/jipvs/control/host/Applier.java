package io.jipvs.control.host;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Carries out a plan's steps in order. If one fails, the steps already done are undone in
 * reverse order, so a failed run leaves the host as it found it.
 */
public final class Applier {
    private Applier() {
    }

    /**
     * What the applier learnt while applying: the value each sysctl had right before it was
     * written, and links that already existed when asked to create them.
     */
    public record Result(Map<String, Integer> previous, Set<String> preexistingLinks) {
    }

    /** A step failed; {@link #getMessage()} says which, why, and how the rollback went. */
    public static final class ApplyException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** Whether every earlier step was undone. */
        private final boolean rolledBack;

        ApplyException(String message, Throwable cause, boolean rolledBack) {
            super(message, cause);
            this.rolledBack = rolledBack;
        }

        /**
         * Whether every earlier step was undone, leaving the host as the run found it.
         *
         * @return false when an undo step failed too
         */
        public boolean rolledBack() {
            return rolledBack;
        }
    }

    /**
     * Carries out {@code steps} in order on {@code host}; if one fails, undoes those already done,
     * newest first.
     *
     * @param steps the plan's steps
     * @param host  where to carry them out
     * @param done  told of each step once it has succeeded
     * @return what was learnt on the way
     * @throws ApplyException when a step failed; the message also says how the rollback went
     */
    public static Result apply(List<Step> steps, Host host, Consumer<Step> done) {
        Map<String, Integer> previous = new HashMap<>();
        Set<String> preexisting = new HashSet<>();
        Deque<Runnable> undo = new ArrayDeque<>();
        for (Step step : steps) {
            try {
                undo.push(run(step, host, previous, preexisting));
            } catch (RuntimeException e) {
                List<String> undoFailures = new ArrayList<>();
                int undone = 0;
                while (!undo.isEmpty()) {
                    try {
                        undo.pop().run();
                        undone++;
                    } catch (RuntimeException u) {
                        undoFailures.add(u.getMessage());
                    }
                }
                String message = "failed to " + step.describe() + ": " + e.getMessage() + "; "
                        + (undoFailures.isEmpty() ? "rolled back " + undone + " earlier change" + (undone == 1 ? "" : "s")
                                : "ROLLBACK INCOMPLETE: " + String.join("; ", undoFailures));
                throw new ApplyException(message, e, undoFailures.isEmpty());
            }
            done.accept(step);
        }
        return new Result(previous, preexisting);
    }

    private static Runnable run(Step step, Host host, Map<String, Integer> previous, Set<String> preexisting) {
        if (step instanceof Step.SetSysctl s) {
            int before = host.readSysctl(s.key());
            host.writeSysctl(s.key(), s.to());
            previous.putIfAbsent(s.key(), before);
            return () -> host.writeSysctl(s.key(), before);
        }
        if (step instanceof Step.CreateLink c) {
            if (host.createLink(c.device(), c.kind())) {
                return () -> host.deleteLink(c.device());
            }
            preexisting.add(c.device());
            return () -> { };
        }
        if (step instanceof Step.SetLinkUp u) {
            host.setLinkUp(u.device(), u.up());
            return () -> host.setLinkUp(u.device(), !u.up());
        }
        if (step instanceof Step.AddAddress a) {
            host.addAddress(a.device(), a.address());
            return () -> host.deleteAddress(a.device(), a.address());
        }
        if (step instanceof Step.DeleteAddress d) {
            host.deleteAddress(d.device(), d.address());
            return () -> host.addAddress(d.device(), d.address());
        }
        if (step instanceof Step.SetSnat n) {
            host.setSnat(n.service(), n.to());
            return () -> host.setSnat(n.service(), n.from());
        }
        if (step instanceof Step.DeleteLink d) {
            // Not undoable (its configuration is gone); plans put it after every other step.
            host.deleteLink(d.device());
            return () -> { };
        }
        throw new IllegalStateException("unknown step " + step);
    }
}

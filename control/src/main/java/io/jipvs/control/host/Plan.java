package io.jipvs.control.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The steps that bring the host from what was observed to what was asked, the state to record
 * once they have all succeeded, and remarks for the operator (things deliberately left alone).
 */
public record Plan(List<Step> steps, State newState, List<String> notes) {

    /**
     * Copies the lists.
     *
     * @param steps    the steps, in order
     * @param newState the state to record once they have all succeeded
     * @param notes    remarks for the operator
     */
    public Plan {
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
    }

    /**
     * Whether there is nothing to do.
     *
     * @return true without steps
     */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /**
     * The new state corrected by what the applier found: the value each newly recorded sysctl
     * really had before it was written (the plan cannot observe entries of a device it creates),
     * and links that appeared by themselves (a module's fallback device) and so are not ours.
     *
     * @param result what the applier learnt
     * @param before the state recorded before the plan ran
     * @return the state to record
     */
    public State stateAfter(Applier.Result result, State before) {
        Map<String, Integer> read = result.previous();
        List<State.SysctlRecord> records = new ArrayList<>();
        for (State.SysctlRecord r : newState.sysctls()) {
            boolean ours = before.sysctl(r.key()).isEmpty() && read.containsKey(r.key());
            records.add(ours ? new State.SysctlRecord(r.key(), read.get(r.key()), r.applied()) : r);
        }
        List<State.LinkRecord> links = new ArrayList<>();
        for (State.LinkRecord l : newState.links()) {
            boolean appeared = l.created() && result.preexistingLinks().contains(l.device());
            links.add(appeared ? new State.LinkRecord(l.device(), false, l.broughtUp()) : l);
        }
        return new State(newState.vips(), records, links);
    }
}

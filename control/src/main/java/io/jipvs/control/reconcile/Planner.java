package io.jipvs.control.reconcile;

import io.jipvs.control.desired.DesiredState;
import io.jipvs.netlink.ipvs.IpvsResult;
import java.time.Instant;
import java.util.List;

/** Plans the changes that make the kernel's table what a desired state says. */
public final class Planner {
    private Planner() {
    }

    /**
     * The plan. Pure: the same inputs give the same plan.
     *
     * @param desired what the file says
     * @param actual  what the kernel holds
     * @param owned   what jipvs created and is draining
     * @param prune   what may be deleted
     * @param now     the time drains are measured against
     * @return the changes, the drains still waiting, what is left alone, and the next record
     */
    public static Plan plan(DesiredState desired, ActualState actual, Ownership owned, Prune prune, Instant now) {
        throw new UnsupportedOperationException("being written");
    }

    /**
     * The ownership record after a plan was applied with these results: true to what the kernel
     * now holds when some changes failed.
     *
     * @param before  the record the plan was made from
     * @param plan    the plan
     * @param results one result per {@link Plan#mutations()} entry, in order
     * @return the record to save
     */
    public static Ownership recordAfter(Ownership before, Plan plan, List<IpvsResult> results) {
        throw new UnsupportedOperationException("being written");
    }
}

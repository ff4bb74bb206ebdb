package io.jipvs.control.reconcile;

import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.fullnat.Nft;
import io.jipvs.control.fullnat.NftException;
import io.jipvs.control.fullnat.Snat;
import io.jipvs.control.fullnat.SnatTable;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.ipvs.Ipvs;
import io.jipvs.netlink.ipvs.IpvsException;
import io.jipvs.netlink.ipvs.IpvsResult;
import io.jipvs.netlink.sysctl.Sysctl;
import io.jipvs.netlink.sysctl.SysctlException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads what the kernel holds and carries out a plan, for {@code jipvs apply} and
 * {@code jipvs serve} alike: sysctls first (conntrack must be on before a FULLNAT service takes
 * traffic), the source NAT rules a service will need, the IPVS changes in one netlink batch, then
 * the rules no longer needed. Runs on a thread in the table's network namespace (nft and the
 * sysctls act in the calling thread's).
 */
public final class Reconciler {
    private final Ipvs ipvs;

    /**
     * A reconciler on an open table.
     *
     * @param ipvs the table
     */
    public Reconciler(Ipvs ipvs) {
        this.ipvs = ipvs;
    }

    /**
     * One change the kernel refused.
     *
     * @param change the change
     * @param error  the kernel's answer
     */
    public record Failure(Change change, IpvsException error) {
    }

    /**
     * What carrying out a plan did.
     *
     * @param results  one result per mutation of the plan
     * @param failures the changes the kernel refused, in plan order
     * @param record   the ownership record true to what the kernel now holds
     * @param nft      the failure to remove source NAT rules after the batch, or null
     */
    public record Outcome(List<IpvsResult> results, List<Failure> failures, Ownership record, NftException nft) {
    }

    /**
     * The kernel dump, jipvs's source NAT table (when the file has FULLNAT services or the table
     * may hold rules to remove) and the sysctls the file needs. nft is asked only after the dump,
     * through which the kernel judged the caller.
     *
     * @param desired what is wanted
     * @param nat     whether to list the source NAT table
     * @return the actual state
     */
    public ActualState actual(DesiredState desired, boolean nat) {
        ActualState dump = ActualState.dump(ipvs);
        if (nat) {
            dump = dump.withSnat(Nft.find().list());
        }
        if (desired.requiredSysctls().isEmpty()) {
            return dump;
        }
        Sysctl sysctl = new Sysctl();
        Map<String, Integer> values = new LinkedHashMap<>();
        for (String name : desired.requiredSysctls().keySet()) {
            OptionalInt v = sysctl.readInt("net/ipv4/vs/" + name);
            if (v.isPresent()) {
                values.put(name, v.getAsInt());
            }
        }
        return dump.withSysctls(values);
    }

    /**
     * The kernel dump with everything {@link #actual(DesiredState, boolean)} reads.
     *
     * @param desired what is wanted
     * @return the actual state
     */
    public ActualState actual(DesiredState desired) {
        return actual(desired, true);
    }

    /**
     * Carries out a plan.
     *
     * @param plan   the plan
     * @param before the ownership record the plan was made from
     * @return the results and the record to save
     * @throws SysctlException when a sysctl cannot be written (nothing else was changed)
     * @throws NftException    when the source NAT rules a service needs cannot be written (only
     *                         sysctls were changed); a failure to remove rules after the batch is
     *                         in the outcome instead, beside the record that must be saved
     */
    public Outcome apply(Plan plan, Ownership before) {
        Sysctl sysctl = null;
        for (Change c : plan.changes()) {
            if (c instanceof Change.SetSysctl s) {
                sysctl = sysctl == null ? new Sysctl() : sysctl;
                sysctl.write("net/ipv4/vs/" + s.name(), s.to());
            }
        }
        writeSnat(plan, true);
        List<IpvsResult> results = plan.mutations().isEmpty() ? List.of() : ipvs.apply(plan.mutations());
        Ownership after = Planner.recordAfter(before, plan, results);
        List<Failure> failures = new ArrayList<>();
        Iterator<IpvsResult> result = results.iterator();
        for (Change c : plan.changes()) {
            if (c.mutation().isEmpty()) {
                continue;
            }
            IpvsResult r = result.next();
            if (!r.ok()) {
                failures.add(new Failure(c, r.error()));
            }
        }
        NftException removal = null;
        try {
            writeSnat(plan, false);
        } catch (NftException e) {
            removal = e;
        }
        return new Outcome(results, failures, after, removal);
    }

    /** The plan's source NAT rules to have ({@code adding}) or to remove, in one nft transaction. */
    private static void writeSnat(Plan plan, boolean adding) {
        Map<ServiceKey, Optional<Snat>> wanted = new LinkedHashMap<>();
        for (Change c : plan.changes()) {
            if (c instanceof Change.SetSnat s && s.to().isPresent() == adding) {
                wanted.put(s.service(), s.to());
            }
        }
        if (!wanted.isEmpty()) {
            Nft nft = Nft.find();
            SnatTable table = nft.list();
            table.change(wanted).ifPresent(nft::apply);
        }
    }
}

package io.jipvs.control.host;

import io.jipvs.control.fullnat.Snat;
import io.jipvs.control.fullnat.SnatTable;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.route.InterfaceAddress;
import io.jipvs.netlink.route.Link;
import io.jipvs.netlink.route.Rtnetlink;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Plans as pure functions of (observed host, recorded state, request). Nothing here touches the
 * kernel; every refusal is a {@link PlanException} raised before any step runs.
 */
public final class Planner {
    private Planner() {
    }

    /**
     * rs-setup: put each VIP on the mode's device with the sysctls it needs.
     *
     * @param o            the host
     * @param s            what jipvs recorded earlier
     * @param vips         the VIPs
     * @param mode         DR or TUN
     * @param deviceOrNull the device, or null for the mode's default
     * @return the plan
     * @throws PlanException when the request cannot be carried out on this host
     */
    public static Plan setup(Observed o, State s, List<InetAddress> vips, Mode mode, String deviceOrNull) {
        String dev = deviceOrNull == null ? mode.defaultDevice() : deviceOrNull;
        List<String> notes = new ArrayList<>();
        List<State.VipRecord> records = new ArrayList<>(s.vips());
        // The VIPs whose address this plan adds: new ones, and known ones that have gone missing
        // (removed by hand, or never added because an earlier run was killed half-way).
        List<State.VipRecord> adding = new ArrayList<>();
        for (InetAddress vip : vips) {
            String text = Addresses.ntop(vip);
            if (mode == Mode.TUN && vip instanceof Inet6Address) {
                throw new PlanException("VIP " + text + ": IPv6 in TUN mode needs ip6tnl0, which rs-setup does not"
                        + " prepare yet; use --mode dr or an IPv4 VIP");
            }
            Optional<State.VipRecord> known = s.vip(vip);
            if (known.isPresent()) {
                State.VipRecord k = known.get();
                if (k.mode() != mode || !k.device().equals(dev)) {
                    throw new PlanException("VIP " + text + " is already set up in " + k.mode().text() + " mode on "
                            + k.device() + "; run rs-teardown --vip " + text + " first");
                }
            }
            for (InterfaceAddress a : o.find(vip)) {
                String on = o.linkName(a.index());
                if (!on.equals(dev)) {
                    throw new PlanException("VIP " + text + " is configured on " + on + "; a real server must hold it"
                            + " only on " + dev + " (is this the director?)");
                }
                if (!a.hostPrefix()) {
                    throw new PlanException("VIP " + text + " is on " + dev + " as " + a.cidr() + "; it must be a /"
                            + (vip instanceof Inet4Address ? 32 : 128) + " (remove it first)");
                }
            }
            boolean present = !o.find(vip).isEmpty();
            if (known.isEmpty()) {
                State.VipRecord r = new State.VipRecord(vip, mode, dev, !present);
                records.add(r);
                if (present) {
                    notes.add("VIP " + text + " was already on " + dev + "; rs-teardown will leave the address");
                } else {
                    adding.add(r);
                }
            } else if (!present) {
                // Ours from now on, whoever added it before: teardown removes what setup added.
                State.VipRecord r = new State.VipRecord(vip, mode, dev, true);
                records.set(records.indexOf(known.get()), r);
                notes.add("VIP " + text + " was set up before but is missing from " + dev + ": adding it again");
                adding.add(r);
            }
        }

        List<Step> steps = new ArrayList<>();
        Set<String> creating = new HashSet<>();
        if (!adding.isEmpty() && mode == Mode.TUN && o.link(Mode.TUNL0).isEmpty()) {
            steps.add(new Step.CreateLink(Mode.TUNL0, "ipip"));
            creating.add(Mode.TUNL0);
        }
        if (!creating.contains(dev) && o.link(dev).isEmpty()) {
            throw new PlanException("no such device " + dev);
        }

        // Sysctls of every VIP, old and new: one changed back by hand since setup is fixed too.
        List<State.SysctlRecord> sysctls = new ArrayList<>(s.sysctls());
        for (Requirement r : Requirement.forVips(records)) {
            String rdev = Requirement.device(r.key());
            OptionalInt current = o.sysctl(r.key());
            Integer from = null;
            if (current.isPresent()) {
                if (r.satisfiedBy(current.getAsInt())) {
                    continue;
                }
                from = current.getAsInt();
            } else if (rdev == null || !creating.contains(rdev)) {
                throw new PlanException("sysctl " + r.dotted() + " does not exist on this host");
            }
            steps.add(new Step.SetSysctl(r.key(), from, r.target()));
            if (s.sysctl(r.key()).isEmpty()) {
                // -1 until the applier has read the real value of a device created by this plan.
                sysctls.add(new State.SysctlRecord(r.key(), from == null ? -1 : from, r.target()));
            }
        }

        List<State.LinkRecord> links = new ArrayList<>(s.links());
        Set<String> needUp = new java.util.LinkedHashSet<>();
        for (State.VipRecord v : records) {
            needUp.addAll(Requirement.linksFor(v));
        }
        for (String name : needUp) {
            boolean created = creating.contains(name);
            Optional<Link> link = o.link(name);
            if (created || (link.isPresent() && !link.get().up())) {
                steps.add(new Step.SetLinkUp(name, true));
                State.LinkRecord prior = s.link(name).orElse(null);
                if (prior == null) {
                    links.add(new State.LinkRecord(name, created, true));
                }
            }
        }

        boolean loopback = o.link(dev).map(Link::loopback).orElse(false);
        for (State.VipRecord v : adding) {
            steps.add(new Step.AddAddress(dev, vipAddress(v.vip(), loopback)));
        }
        return new Plan(steps, new State(records, sysctls, links), notes);
    }

    /**
     * The VIP as an interface address: a host prefix; on loopback IPv4 gets host scope so the
     * kernel never picks the VIP as the source of this host's own traffic; IPv6 gets nodad so it
     * is usable at once on any device.
     */
    static InterfaceAddress vipAddress(InetAddress vip, boolean loopback) {
        if (vip instanceof Inet6Address) {
            return InterfaceAddress.host(0, vip, Rtnetlink.IFA_F_NODAD, Rtnetlink.RT_SCOPE_UNIVERSE);
        }
        return InterfaceAddress.host(0, vip, 0, loopback ? Rtnetlink.RT_SCOPE_HOST : Rtnetlink.RT_SCOPE_UNIVERSE);
    }

    /**
     * rs-teardown: remove the VIPs setup added, then undo link and sysctl changes that no
     * remaining VIP needs. A sysctl changed by someone else since setup is left as it is.
     *
     * @param o          the host
     * @param s          what jipvs recorded at setup
     * @param vips       the VIPs to remove (one not set up by jipvs is only noted)
     * @param modeOrNull the mode they must be set up in, or null for any
     * @return the plan
     * @throws PlanException when the request cannot be carried out on this host
     */
    public static Plan teardown(Observed o, State s, List<InetAddress> vips, Mode modeOrNull) {
        List<String> notes = new ArrayList<>();
        List<State.VipRecord> removing = new ArrayList<>();
        for (InetAddress vip : vips) {
            Optional<State.VipRecord> r = s.vip(vip);
            if (r.isEmpty()) {
                notes.add("VIP " + Addresses.ntop(vip) + " was not set up by jipvs here: nothing to undo");
                continue;
            }
            if (modeOrNull != null && r.get().mode() != modeOrNull) {
                throw new PlanException("VIP " + r.get().text() + " is set up in " + r.get().mode().text()
                        + " mode, not " + modeOrNull.text());
            }
            removing.add(r.get());
        }
        List<State.VipRecord> remaining = new ArrayList<>(s.vips());
        remaining.removeAll(removing);

        List<Step> steps = new ArrayList<>();
        for (State.VipRecord v : removing) {
            if (!v.added()) {
                notes.add("VIP " + v.text() + " was on " + v.device() + " before setup: address left in place");
                continue;
            }
            Optional<InterfaceAddress> present = o.find(v.vip()).stream()
                    .filter(a -> o.linkName(a.index()).equals(v.device())).findFirst();
            if (present.isEmpty()) {
                notes.add("VIP " + v.text() + " is already gone from " + v.device());
                continue;
            }
            steps.add(new Step.DeleteAddress(v.device(), present.get()));
        }

        Set<String> linksNeeded = new HashSet<>();
        remaining.forEach(v -> linksNeeded.addAll(Requirement.linksFor(v)));
        Set<String> deleting = new HashSet<>();
        List<Step> linkSteps = new ArrayList<>();
        List<State.LinkRecord> links = new ArrayList<>();
        for (State.LinkRecord l : s.links()) {
            if (linksNeeded.contains(l.device())) {
                links.add(l);
                continue;
            }
            Optional<Link> link = o.link(l.device());
            if (link.isEmpty()) {
                continue;
            }
            if (l.created()) {
                linkSteps.add(new Step.DeleteLink(l.device()));
                deleting.add(l.device());
            } else if (l.broughtUp() && link.get().up()) {
                linkSteps.add(new Step.SetLinkUp(l.device(), false));
            }
        }

        Set<String> keysNeeded = new HashSet<>();
        Requirement.forVips(remaining).forEach(r -> keysNeeded.add(r.key()));
        List<State.SysctlRecord> sysctls = new ArrayList<>();
        List<State.SysctlRecord> recorded = new ArrayList<>(s.sysctls());
        java.util.Collections.reverse(recorded);
        for (State.SysctlRecord r : recorded) {
            if (keysNeeded.contains(r.key())) {
                sysctls.add(0, r);
                continue;
            }
            String dev = Requirement.device(r.key());
            if (dev != null && deleting.contains(dev)) {
                continue; // goes away with its device
            }
            restore(o, r, steps, notes);
        }
        // Links last: deleting one cannot be undone, so it must come after everything that can fail.
        steps.addAll(linkSteps);
        return new Plan(steps, new State(remaining, sysctls, links), notes);
    }

    /**
     * director-setup --nat: forwarding on.
     *
     * @param o    the host
     * @param s    what jipvs recorded earlier
     * @param ipv6 IPv6 forwarding too
     * @return the plan
     * @throws PlanException when a forwarding sysctl does not exist
     */
    public static Plan directorSetup(Observed o, State s, boolean ipv6) {
        List<Step> steps = new ArrayList<>();
        List<State.SysctlRecord> sysctls = new ArrayList<>(s.sysctls());
        require(o, s, Requirement.forNatDirector(ipv6), steps, sysctls);
        return new Plan(steps, new State(List.of(), sysctls, List.of()), List.of());
    }

    /**
     * director-setup --fullnat: forwarding and vs.conntrack on (before the rule, so no connection
     * is forwarded untracked), then the service's source NAT rule.
     *
     * @param o     the host
     * @param s     what jipvs recorded earlier
     * @param table jipvs's nftables table
     * @param snat  the service's source NAT
     * @return the plan
     * @throws PlanException when a sysctl does not exist (vs.conntrack: ip_vs is not loaded)
     */
    public static Plan fullnatSetup(Observed o, State s, SnatTable table, Snat snat) {
        List<Step> steps = new ArrayList<>();
        List<State.SysctlRecord> sysctls = new ArrayList<>(s.sysctls());
        require(o, s, Requirement.forFullnatDirector(snat.service().family() == AddressFamily.INET6), steps, sysctls);
        Optional<Snat> now = table.snat(snat.service());
        if (!now.equals(Optional.of(snat))) {
            steps.add(new Step.SetSnat(snat.service(), now, Optional.of(snat)));
        }
        List<String> notes = new ArrayList<>();
        for (InetAddress a : snat.pool()) {
            if (o.find(a).isEmpty()) {
                notes.add("SNAT address " + Addresses.ntop(a) + " is not on this host: the real servers' replies to it"
                        + " must be routed here");
            }
        }
        return new Plan(steps, new State(List.of(), sysctls, List.of()), notes);
    }

    /** Adds the steps and records that make each requirement hold (a stricter value is left alone). */
    private static void require(Observed o, State s, List<Requirement> requirements, List<Step> steps,
                                List<State.SysctlRecord> sysctls) {
        for (Requirement r : requirements) {
            OptionalInt current = o.sysctl(r.key());
            if (current.isEmpty()) {
                throw new PlanException("sysctl " + r.dotted() + " does not exist on this host"
                        + (r.key().equals(Requirement.VS_CONNTRACK) ? " (is the ip_vs module loaded?)" : ""));
            }
            if (r.satisfiedBy(current.getAsInt())) {
                continue;
            }
            steps.add(new Step.SetSysctl(r.key(), current.getAsInt(), r.target()));
            if (s.sysctl(r.key()).isEmpty()) {
                sysctls.add(new State.SysctlRecord(r.key(), current.getAsInt(), r.target()));
            }
        }
    }

    /**
     * director-teardown --nat: every recorded value back, unless changed since, or while FULLNAT
     * services, which need the same forwarding, are still set up.
     *
     * @param o     the host
     * @param s     what jipvs recorded at setup
     * @param table jipvs's nftables table
     * @return the plan
     */
    public static Plan directorTeardown(Observed o, State s, SnatTable table) {
        if (!table.rules().isEmpty()) {
            return new Plan(List.of(), s, List.of("forwarding stays: " + table.rules().size() + " FULLNAT service"
                    + (table.rules().size() == 1 ? " is" : "s are") + " still set up (director-teardown --fullnat)"));
        }
        List<Step> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (State.SysctlRecord r : s.sysctls()) {
            restore(o, r, steps, notes);
        }
        return new Plan(steps, State.EMPTY, notes);
    }

    /**
     * director-teardown --fullnat: the services' source NAT rules go; once none is left, every
     * recorded sysctl is put back (vs.conntrack after the rules, so none is left matching).
     *
     * @param o        the host
     * @param s        what jipvs recorded at setup
     * @param table    jipvs's nftables table
     * @param services the services, or empty for every one in the table
     * @return the plan
     */
    public static Plan fullnatTeardown(Observed o, State s, SnatTable table, List<ServiceKey> services) {
        List<Step> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<ServiceKey> leaving = new HashSet<>(services.isEmpty() ? table.rules().keySet() : services);
        for (ServiceKey k : services.isEmpty() ? List.copyOf(table.rules().keySet()) : services) {
            Optional<Snat> now = table.snat(k);
            if (now.isEmpty()) {
                notes.add(k + " has no FULLNAT rule here: nothing to undo");
                continue;
            }
            steps.add(new Step.SetSnat(k, now, Optional.empty()));
        }
        long remaining = table.rules().keySet().stream().filter(k -> !leaving.contains(k)).count();
        if (remaining > 0) {
            notes.add("forwarding and vs.conntrack stay: " + remaining + " FULLNAT service"
                    + (remaining == 1 ? " is" : "s are") + " still set up");
            return new Plan(steps, s, notes);
        }
        for (State.SysctlRecord r : s.sysctls()) {
            restore(o, r, steps, notes);
        }
        return new Plan(steps, State.EMPTY, notes);
    }

    /**
     * Puts back the value a recorded sysctl had before setup, unless it is gone (its device went)
     * or someone changed it since: then it is left as it is, and the plan says so.
     */
    private static void restore(Observed o, State.SysctlRecord r, List<Step> steps, List<String> notes) {
        OptionalInt current = o.sysctl(r.key());
        if (current.isEmpty()) {
            return;
        }
        if (current.getAsInt() == r.previous()) {
            return; // already back (a teardown killed half-way, or put back by hand)
        }
        if (current.getAsInt() != r.applied()) {
            notes.add(io.jipvs.netlink.sysctl.Sysctl.dotted(r.key()) + " left at " + current.getAsInt()
                    + ": changed since setup set it to " + r.applied());
            return;
        }
        steps.add(new Step.SetSysctl(r.key(), current.getAsInt(), r.previous()));
    }
}

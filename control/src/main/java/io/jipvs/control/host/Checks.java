package io.jipvs.control.host;

import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.fullnat.Snat;
import io.jipvs.control.fullnat.SnatTable;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.route.InterfaceAddress;
import io.jipvs.netlink.route.Link;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

/** Readiness checks (rs-status, director-status): pure functions of an {@link Observed} host. */
public final class Checks {
    private Checks() {
    }

    /** One finding: satisfied or not, and what it is about. */
    public record Check(boolean ok, String text) {
        /**
         * The check as rs-status and director-status print it.
         *
         * @return "  ok       TEXT" or "  MISSING  TEXT"
         */
        public String line() {
            return (ok ? "  ok       " : "  MISSING  ") + text;
        }
    }

    /**
     * Is this host ready to serve {@code vip} in its mode?
     *
     * @param o   the host
     * @param vip the VIP, its mode and device
     * @return the findings: the address, the links it needs, the sysctls
     */
    public static List<Check> realServer(Observed o, State.VipRecord vip) {
        List<Check> out = new ArrayList<>();
        String dev = vip.device();
        List<InterfaceAddress> found = o.find(vip.vip());
        Optional<InterfaceAddress> onDev = found.stream().filter(a -> o.linkName(a.index()).equals(dev)).findFirst();
        for (InterfaceAddress a : found) {
            String on = o.linkName(a.index());
            if (!on.equals(dev)) {
                out.add(new Check(false, "VIP " + vip.text() + " is also on " + on
                        + " (the real server would answer ARP/ND for it there)"));
            }
        }
        if (onDev.isEmpty()) {
            out.add(new Check(false, "VIP " + vip.text() + " on " + dev));
        } else if (!onDev.get().hostPrefix()) {
            out.add(new Check(false, "VIP " + vip.text() + " on " + dev + " is " + onDev.get().cidr()
                    + ", must be a host prefix"));
        } else {
            out.add(new Check(true, "VIP " + onDev.get().cidr() + " on " + dev));
        }
        for (String name : Requirement.linksFor(vip)) {
            Optional<Link> link = o.link(name);
            if (link.isEmpty()) {
                out.add(new Check(false, "link " + name + " exists"
                        + (name.equals(Mode.TUNL0) ? " (the ipip module creates it)" : "")));
            } else {
                out.add(new Check(link.get().up(), "link " + name + " is up"));
            }
        }
        out.addAll(sysctls(o, Requirement.forVip(vip)));
        return out;
    }

    /**
     * Is this host ready to direct NAT traffic?
     *
     * @param o    the host
     * @param ipv6 whether IPv6 services are directed too
     * @return the findings on forwarding
     */
    public static List<Check> natDirector(Observed o, boolean ipv6) {
        return sysctls(o, Requirement.forNatDirector(ipv6));
    }

    /**
     * Is this host ready to direct FULLNAT traffic for these services?
     *
     * @param o        the host
     * @param table    jipvs's nftables table
     * @param services the services (each needs its family's forwarding, vs.conntrack and its rule)
     * @return the findings
     */
    public static List<Check> fullnatDirector(Observed o, SnatTable table, List<ServiceKey> services) {
        Map<String, Requirement> needed = new LinkedHashMap<>();
        for (ServiceKey k : services) {
            Requirement.forFullnatDirector(k.family() == AddressFamily.INET6).forEach(r -> needed.putIfAbsent(r.key(), r));
        }
        List<Check> out = new ArrayList<>(sysctls(o, List.copyOf(needed.values())));
        for (ServiceKey k : services) {
            Optional<Snat> snat = table.snat(k);
            out.add(new Check(snat.isPresent(), "source NAT rule for " + k + " in table " + SnatTable.TABLE
                    + snat.map(s -> ": " + (s.pool().isEmpty() ? "masquerade"
                    : "SNAT to " + s.poolText())).orElse("")));
        }
        return out;
    }

    /**
     * What may hurt a FULLNAT service without stopping it: SNAT addresses this host does not hold,
     * masquerading real servers it has no route to, and real servers allowed more connections (-x)
     * than the SNAT addresses have source ports.
     *
     * @param o            the host
     * @param snat         the service's source NAT
     * @param destinations its real servers
     * @param routable     whether the host has a route to an address
     * @return one sentence per finding
     */
    public static List<String> fullnatWarnings(Observed o, Snat snat, List<DestinationEntry> destinations,
                                               Predicate<InetAddress> routable) {
        List<String> out = new ArrayList<>();
        for (DestinationEntry d : destinations) {
            if (d.destination().forwarding() == ForwardingMethod.MASQ && !routable.test(d.destination().address())) {
                out.add(unroutable(d.destination().address()));
            }
        }
        for (InetAddress a : snat.pool()) {
            if (o.find(a).isEmpty()) {
                out.add("SNAT address " + Addresses.ntop(a) + " is not on this host: replies to it must be routed here");
            }
        }
        long capacity = snat.connectionsPerRealServer();
        for (DestinationEntry d : destinations) {
            long limit = Integer.toUnsignedLong(d.destination().upperThreshold());
            if (limit > capacity) {
                out.add("real server " + RealServerKey.of(d.destination()) + " may take " + limit + " connections (-x), more than the "
                        + capacity + " its " + (snat.pool().isEmpty() ? "one masquerading address" : snat.pool().size()
                        + " SNAT address" + (snat.pool().size() == 1 ? "" : "es")) + " can carry: add --snat-address");
            }
        }
        return out;
    }

    /**
     * The warning for a FULLNAT real server this host cannot reach.
     *
     * @param address the real server's address
     * @return the sentence
     */
    public static String unroutable(InetAddress address) {
        return "real server " + Addresses.ntop(address) + ": this host has no route to it";
    }

    private static List<Check> sysctls(Observed o, List<Requirement> requirements) {
        List<Check> out = new ArrayList<>();
        for (Requirement r : requirements) {
            OptionalInt v = o.sysctl(r.key());
            if (v.isEmpty()) {
                out.add(new Check(false, r.dotted() + " = " + r.target() + " (entry does not exist)"));
            } else if (r.satisfiedBy(v.getAsInt())) {
                out.add(new Check(true, r.dotted() + " = " + v.getAsInt()));
            } else {
                out.add(new Check(false, r.dotted() + " = " + r.target() + " (is " + v.getAsInt() + "; " + r.why() + ")"));
            }
        }
        return out;
    }

    /**
     * Whether every finding is satisfied.
     *
     * @param checks the findings
     * @return true when none is missing
     */
    public static boolean allOk(List<Check> checks) {
        return checks.stream().allMatch(Check::ok);
    }
}

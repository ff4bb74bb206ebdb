package io.jipvs.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.jipvs.model.Addresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which VIPs this director announces, from serve's state, and the route speaker's lines that
 * take the announced set from one to the next; pure.
 *
 * <p>A VIP is announced while <em>every</em> service on it is in the kernel and has its quorum
 * here (a service without checks always has): a router sending a VIP's flows to this director sends all its ports, so one
 * service without quorum takes the VIP's traffic elsewhere, as Seesaw does for anycast VIPs.
 * Services by firewall mark have no address of their own and announce nothing.
 *
 * @param only the VIPs to consider (the rest of serve's are left to other tools), or empty for all
 */
record Announcements(Set<InetAddress> only) {

    /**
     * Each VIP of serve's state, with whether it is to be announced.
     *
     * @param state the answer of {@code GET /api/v1/state}
     * @return announce (true) or withdraw (false), by VIP, in the file's order
     */
    Map<InetAddress, Boolean> wanted(JsonNode state) {
        Map<InetAddress, Boolean> out = new LinkedHashMap<>();
        for (JsonNode s : state.path("services")) {
            if (!s.hasNonNull("address")) {
                continue;
            }
            InetAddress vip = Addresses.literal(s.get("address").asText());
            if (vip == null || (!only.isEmpty() && !only.contains(vip))) {
                continue;
            }
            boolean up = s.path("inKernel").asBoolean(false)
                    && (!s.has("quorum") || s.path("quorum").path("up").asBoolean(false));
            out.merge(vip, up, Boolean::logicalAnd);
        }
        return out;
    }

    /**
     * ExaBGP's process API lines from one announced set to the next.
     *
     * @param announced  the VIPs announced now
     * @param wanted     from {@link #wanted}
     * @param attributes what follows the next hop (e.g. "med 100"), or empty
     * @return the lines, withdrawals first
     */
    static List<String> exabgp(Set<InetAddress> announced, Map<InetAddress, Boolean> wanted, String attributes) {
        List<String> lines = new ArrayList<>();
        Set<InetAddress> next = new LinkedHashSet<>();
        wanted.forEach((vip, up) -> {
            if (up) {
                next.add(vip);
            }
        });
        for (InetAddress vip : announced) {
            if (!next.contains(vip)) {
                lines.add(exabgp("withdraw", vip, ""));
            }
        }
        for (InetAddress vip : next) {
            if (!announced.contains(vip)) {
                lines.add(exabgp("announce", vip, attributes));
            }
        }
        return lines;
    }

    /**
     * One line: {@code announce route 192.0.2.10/32 next-hop self}.
     *
     * @param verb       announce or withdraw
     * @param vip        the VIP
     * @param attributes what follows the next hop, or empty
     * @return the line
     */
    static String exabgp(String verb, InetAddress vip, String attributes) {
        return verb + " route " + Addresses.ntop(vip) + (vip instanceof Inet6Address ? "/128" : "/32") + " next-hop self"
                + (attributes.isEmpty() ? "" : " " + attributes);
    }
}

package io.jipvs.cli.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.desired.Supervised;
import io.jipvs.control.desired.Supervision;
import io.jipvs.control.health.CheckResult;
import io.jipvs.control.health.HealthState;
import io.jipvs.control.serve.Supervisor;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.Stats;
import io.jipvs.netlink.ipvs.Ipvs;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/v1/state}: every service of the file in force with its real servers, each as the
 * file configures it, as the operator overrode it, as its checks judge it and as the kernel has it
 * now (weight, connections, counters and rates from one dump). docs/api.md describes every field.
 */
final class StateDocument {
    static final ObjectMapper JSON = new ObjectMapper();

    private StateDocument() {
    }

    static ObjectNode of(Supervisor supervisor, Ipvs ipvs, Instant now) {
        Supervised file = supervisor.file();
        Map<Member, HealthState.Snapshot> health = supervisor.health();
        Map<Member, Integer> overrides = supervisor.overrides();
        Map<ServiceKey, Boolean> quorum = supervisor.quorum();
        Map<ServiceKey, ServiceEntry> kernel = new HashMap<>();
        for (ServiceEntry s : ipvs.services()) {
            kernel.put(s.key(), s);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("time", now.toString());
        root.put("role", supervisor.role().word());
        ArrayNode services = root.putArray("services");
        for (DesiredService s : file.state().services()) {
            Supervision sup = file.supervision().get(s.key());
            ServiceEntry inKernel = kernel.get(s.key());
            Map<RealServerKey, DestinationEntry> destinations = new HashMap<>();
            if (inKernel != null) {
                for (DestinationEntry d : ipvs.destinations(s.key())) {
                    destinations.put(RealServerKey.of(d.destination()), d);
                }
            }
            ObjectNode sv = services.addObject();
            sv.put("name", s.name());
            sv.put("key", s.key().toString());
            key(sv, s.key());
            sv.put("scheduler", s.service().scheduler());
            sv.put("inKernel", inKernel != null);
            if (sup != null) {
                ObjectNode q = sv.putObject("quorum");
                q.put("required", sup.quorum());
                q.put("hysteresis", sup.hysteresis());
                q.put("up", quorum.getOrDefault(s.key(), true));
                if (sup.sorryServer() != null) {
                    ObjectNode sorry = sv.putObject("sorryServer");
                    sorry.put("address", Addresses.ntop(sup.sorryServer().address()));
                    sorry.put("port", sup.sorryServer().port());
                    sorry.put("active", destinations.containsKey(RealServerKey.of(sup.sorryServer()))
                            && !quorum.getOrDefault(s.key(), true));
                }
            }
            if (inKernel != null) {
                stats(sv.putObject("stats"), inKernel.stats());
            }
            ArrayNode rss = sv.putArray("realServers");
            for (Destination d : s.realServers()) {
                RealServerKey rk = RealServerKey.of(d);
                Member m = new Member(s.key(), rk);
                DestinationEntry k = destinations.get(rk);
                ObjectNode rs = rss.addObject();
                rs.put("address", Addresses.ntop(d.address()));
                rs.put("port", d.port());
                rs.put("key", rk.toString());
                rs.put("forwarding", d.forwarding().name().toLowerCase(Locale.ROOT));
                ObjectNode w = rs.putObject("weight");
                w.put("configured", d.weight());
                Integer o = overrides.get(m);
                if (o == null) {
                    w.putNull("override");
                } else {
                    w.put("override", o);
                }
                if (k == null) {
                    w.putNull("effective");
                } else {
                    w.put("effective", k.destination().weight());
                }
                rs.put("drained", o != null && o == 0);
                rs.put("inKernel", k != null);
                HealthState.Snapshot h = health.get(m);
                if (h == null) {
                    rs.putNull("health");
                } else {
                    ObjectNode hn = rs.putObject("health");
                    hn.put("status", h.status().name().toLowerCase(Locale.ROOT));
                    hn.put("since", h.since().toString());
                    hn.put("failures", h.failures());
                    hn.put("successes", h.successes());
                    CheckResult last = h.last();
                    if (last == null) {
                        hn.putNull("last");
                    } else {
                        ObjectNode l = hn.putObject("last");
                        l.put("ok", last.ok());
                        l.put("detail", last.detail());
                        l.put("latencySeconds", last.latency().toNanos() / 1e9);
                    }
                }
                if (k != null) {
                    ObjectNode c = rs.putObject("connections");
                    c.put("active", k.activeConnections());
                    c.put("inactive", k.inactiveConnections());
                    c.put("persistent", k.persistentConnections());
                    stats(rs.putObject("stats"), k.stats());
                }
            }
        }
        return root;
    }

    private static void key(ObjectNode n, ServiceKey k) {
        if (k.fwmarkBased()) {
            n.put("fwmark", k.fwmark());
            n.put("family", k.family().name().toLowerCase(Locale.ROOT));
        } else {
            n.put("protocol", k.protocol().name().toLowerCase(Locale.ROOT));
            n.put("address", Addresses.ntop(k.address()));
            n.put("port", k.port());
        }
    }

    /** The kernel's u64 counters, exact (JSON numbers have no width limit; Jackson writes them whole). */
    private static void stats(ObjectNode n, Stats s) {
        n.put("connections", unsigned(s.connections()));
        n.put("inPackets", unsigned(s.inPackets()));
        n.put("outPackets", unsigned(s.outPackets()));
        n.put("inBytes", unsigned(s.inBytes()));
        n.put("outBytes", unsigned(s.outBytes()));
        n.put("connectionRate", unsigned(s.connectionRate()));
        n.put("inPacketRate", unsigned(s.inPacketRate()));
        n.put("outPacketRate", unsigned(s.outPacketRate()));
        n.put("inByteRate", unsigned(s.inByteRate()));
        n.put("outByteRate", unsigned(s.outByteRate()));
    }

    private static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }
}

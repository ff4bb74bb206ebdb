package io.jipvs.cli.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.IpvsInfo;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.Stats;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.Timeouts;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * jipvs's --json listings (schema in README.md, "JSON output"). Only this class touches Jackson,
 * so the plain listing path never loads it. Addresses are inet_ntop text, numbers exact (no
 * shortening, no 32-bit destination counters: the JSON carries the kernel's values).
 */
public final class JsonFormatter {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonFormatter() {
    }

    public static String services(IpvsInfo info, List<ServiceView> views) {
        ObjectNode root = MAPPER.createObjectNode();
        if (info != null) {
            root.put("version", info.version());
            root.put("connectionTableSize", info.connectionTableSize());
        }
        ArrayNode services = root.putArray("services");
        for (ServiceView v : views) {
            Service s = v.entry().service();
            ServiceKey k = s.key();
            ObjectNode o = services.addObject();
            o.put("family", family(k.family()));
            if (k.fwmarkBased()) {
                o.put("fwmark", k.fwmark());
            } else {
                o.put("protocol", k.protocol().name().toLowerCase(Locale.ROOT));
                o.put("address", Addresses.ntop(k.address()));
                o.put("port", k.port());
            }
            o.put("scheduler", s.scheduler());
            ArrayNode flags = o.putArray("flags");
            for (ServiceFlag f : s.flags()) {
                flags.add(f.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            if (ServiceText.hasSchedFlags(s)) {
                ArrayNode named = o.putArray("schedulerFlags");
                for (String f : ServiceText.schedFlags(s).split(",")) {
                    if (!f.isEmpty()) {
                        named.add(f);
                    }
                }
            }
            if (s.persistent()) {
                ObjectNode p = o.putObject("persistence");
                p.put("timeout", s.timeout());
                if (k.family() == AddressFamily.INET6) {
                    p.put("netmask", s.netmask());
                } else {
                    p.put("netmask", ServiceText.dotted(s.netmask()));
                }
            }
            if (s.persistenceEngine() != null) {
                o.put("persistenceEngine", s.persistenceEngine());
            }
            stats(o.putObject("stats"), v.entry().stats());
            ArrayNode dests = o.putArray("destinations");
            for (DestinationEntry e : v.destinations()) {
                Destination d = e.destination();
                ObjectNode j = dests.addObject();
                j.put("family", family(d.family()));
                j.put("address", Addresses.ntop(d.address()));
                j.put("port", d.port());
                j.put("forwarding", d.forwarding().name().toLowerCase(Locale.ROOT));
                j.put("weight", d.weight());
                j.put("upperThreshold", d.upperThreshold());
                j.put("lowerThreshold", d.lowerThreshold());
                if (d.forwarding() == ForwardingMethod.TUNNEL) {
                    ObjectNode t = j.putObject("tunnel");
                    t.put("type", d.tunnelType().name().toLowerCase(Locale.ROOT));
                    t.put("port", d.tunnelPort());
                    t.put("checksum", d.tunnelChecksum().name().toLowerCase(Locale.ROOT));
                }
                j.put("activeConnections", e.activeConnections());
                j.put("inactiveConnections", e.inactiveConnections());
                j.put("persistentConnections", e.persistentConnections());
                stats(j.putObject("stats"), e.stats());
            }
        }
        return write(root);
    }

    public static String timeouts(Timeouts t) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode o = root.putObject("timeouts");
        o.put("tcp", t.tcp());
        o.put("tcpFin", t.tcpFin());
        o.put("udp", t.udp());
        return write(root);
    }

    public static String daemons(List<SyncDaemon> daemons) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode a = root.putArray("daemons");
        for (SyncDaemon d : daemons) {
            ObjectNode o = a.addObject();
            o.put("state", d.state().name().toLowerCase(Locale.ROOT));
            o.put("interface", d.interfaceName());
            o.put("syncId", d.syncId());
            o.put("maxLength", d.maxLength());
            if (d.group() != null) {
                o.put("group", Addresses.ntop(d.group()));
            }
            o.put("port", d.port());
            o.put("ttl", d.ttl());
        }
        return write(root);
    }

    /** Connections from /proc/net/ip_vs_conn lines (after the header). */
    public static String connections(List<String> lines) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode a = root.putArray("connections");
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 9) {
                continue;
            }
            ObjectNode o = a.addObject();
            o.put("protocol", f[0].toLowerCase(Locale.ROOT));
            endpoint(o.putObject("client"), f[1], f[2]);
            endpoint(o.putObject("virtual"), f[3], f[4]);
            endpoint(o.putObject("destination"), f[5], f[6]);
            o.put("state", f[7]);
            o.put("expires", Long.parseLong(f[8]));
            if (f.length >= 11) {
                o.put("peName", f[9]);
                o.put("peData", f[10]);
            }
        }
        return write(root);
    }

    private static void endpoint(ObjectNode o, String address, String hexPort) {
        InetAddress a = ConnectionFormatter.address(address);
        o.put("address", Addresses.ntop(a));
        o.put("port", Integer.parseInt(hexPort, 16));
    }

    private static void stats(ObjectNode o, Stats s) {
        o.put("connections", s.connections());
        o.put("inPackets", s.inPackets());
        o.put("outPackets", s.outPackets());
        o.put("inBytes", s.inBytes());
        o.put("outBytes", s.outBytes());
        o.put("connectionRate", s.connectionRate());
        o.put("inPacketRate", s.inPacketRate());
        o.put("outPacketRate", s.outPacketRate());
        o.put("inByteRate", s.inByteRate());
        o.put("outByteRate", s.outByteRate());
    }

    private static String family(AddressFamily f) {
        return f == AddressFamily.INET6 ? "inet6" : "inet";
    }

    private static String write(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.jipvs.it.realserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The IPv4 MIB counters of one namespace (/proc/net/snmp and /proc/net/netstat, read from a
 * thread inside it: /proc/thread-self/net is that thread's namespace, /proc/self/net is not).
 * What the client's stack sent is the independent measure the director's counters must match.
 */
record IpCounters(long outRequests, long outOctets, long inReceives, long inOctets) {

    static IpCounters read(String ns) {
        return Topology.in(ns, () -> {
            Map<String, Long> m = new HashMap<>();
            parse(Files.readAllLines(Path.of("/proc/thread-self/net/snmp")), m);
            parse(Files.readAllLines(Path.of("/proc/thread-self/net/netstat")), m);
            return new IpCounters(m.get("Ip:OutRequests"), m.get("IpExt:OutOctets"), m.get("Ip:InReceives"),
                    m.get("IpExt:InOctets"));
        });
    }

    /** Header line "Ip: Forwarding ...", then a value line "Ip: 1 ...". */
    private static void parse(List<String> lines, Map<String, Long> into) {
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] names = lines.get(i).split("\\s+");
            String[] values = lines.get(i + 1).split("\\s+");
            for (int k = 1; k < names.length && k < values.length; k++) {
                into.put(names[0] + names[k], Long.parseLong(values[k]));
            }
        }
    }

    IpCounters minus(IpCounters before) {
        return new IpCounters(outRequests - before.outRequests, outOctets - before.outOctets,
                inReceives - before.inReceives, inOctets - before.inOctets);
    }
}

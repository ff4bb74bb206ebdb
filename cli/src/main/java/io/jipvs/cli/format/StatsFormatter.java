package io.jipvs.cli.format;

import io.jipvs.model.DestinationEntry;
import io.jipvs.model.Stats;

/** -L --stats lines: totals per service and destination, shortened unless --exact. */
public final class StatsFormatter {
    static final String TITLE = String.format("%-33s %8s %8s %8s %8s %8s\n", "Prot LocalAddress:Port", "Conns",
            "InPkts", "OutPkts", "InBytes", "OutBytes") + "  -> RemoteAddress:Port\n";

    private StatsFormatter() {
    }

    static void service(StringBuilder sb, ServiceView v, boolean exact, Names names) {
        Stats s = v.entry().stats();
        ServiceText.left(sb, ServiceText.listingName(v.entry().key(), names), 33);
        numbers(sb, exact, s.connections(), s.inPackets(), s.outPackets(), s.inBytes(), s.outBytes());
        for (DestinationEntry e : v.destinations()) {
            Stats d = e.stats();
            ServiceText.left(sb.append("  -> "), ServiceText.destinationName(v.entry().key(), e.destination(), names), 28);
            // libipvs reads a destination's 64-bit counters with its 32-bit reader: only the
            // byte counters survive whole (ipvsadm 1.31 quirk, reproduced).
            numbers(sb, exact, ServiceText.u32(d.connections()), ServiceText.u32(d.inPackets()),
                    ServiceText.u32(d.outPackets()), d.inBytes(), d.outBytes());
        }
    }

    private static void numbers(StringBuilder sb, boolean exact, long... values) {
        for (long v : values) {
            sb.append(LargeNum.format(v, exact));
        }
        sb.append('\n');
    }
}

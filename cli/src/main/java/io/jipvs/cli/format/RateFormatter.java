package io.jipvs.cli.format;

import io.jipvs.model.DestinationEntry;
import io.jipvs.model.Stats;

/** -L --rate lines: per-second rates; a destination's packet rates are always exact. */
public final class RateFormatter {
    static final String TITLE = String.format("%-33s %8s %8s %8s %8s %8s\n", "Prot LocalAddress:Port", "CPS",
            "InPPS", "OutPPS", "InBPS", "OutBPS") + "  -> RemoteAddress:Port\n";

    private RateFormatter() {
    }

    static void service(StringBuilder sb, ServiceView v, boolean exact, Names names) {
        Stats s = v.entry().stats();
        ServiceText.left(sb, ServiceText.listingName(v.entry().key(), names), 33);
        sb.append(LargeNum.format(s.connectionRate(), exact)).append(LargeNum.format(s.inPacketRate(), exact))
                .append(LargeNum.format(s.outPacketRate(), exact)).append(LargeNum.format(s.inByteRate(), exact))
                .append(LargeNum.format(s.outByteRate(), exact)).append('\n');
        for (DestinationEntry e : v.destinations()) {
            Stats d = e.stats();
            // 32-bit reading of the destination's counters, as in StatsFormatter.
            ServiceText.left(sb.append("  -> "), ServiceText.destinationName(v.entry().key(), e.destination(), names), 28);
            ServiceText.right(sb.append(' '), ServiceText.u32(d.connectionRate()), 8);
            ServiceText.right(sb.append(' '), ServiceText.u32(d.inPacketRate()), 8);
            ServiceText.right(sb.append(' '), ServiceText.u32(d.outPacketRate()), 8);
            sb.append(LargeNum.format(ServiceText.u32(d.inByteRate()), exact))
                    .append(LargeNum.format(ServiceText.u32(d.outByteRate()), exact)).append('\n');
        }
    }
}

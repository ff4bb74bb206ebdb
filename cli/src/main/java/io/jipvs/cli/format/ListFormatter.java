package io.jipvs.cli.format;

import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.IpvsInfo;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import io.jipvs.model.Timeouts;
import java.util.List;

/**
 * ipvsadm's -L text: the version header, the title of the chosen variant, and service and
 * destination lines (plain, --thresholds, --persistent-conn, --tun-info here; --stats and
 * --rate lines come from their own formatters). Also -L --timeout and -L --daemon. Pure.
 */
public final class ListFormatter {
    private ListFormatter() {
    }

    /**
     * The whole listing. {@code info} null omits the version header (listing one service).
     * Services and destinations are printed in the order given.
     */
    public static String format(IpvsInfo info, List<ServiceView> services, ListMode mode, boolean exact,
                                Names names) {
        StringBuilder sb = new StringBuilder();
        if (info != null) {
            sb.append(header(info));
        }
        sb.append(title(mode));
        for (ServiceView v : services) {
            service(sb, v, mode, exact, names);
        }
        return sb.toString();
    }

    /**
     * One service and its destinations, appended to {@code sb}: what a streaming caller prints
     * between {@link #header} + {@link #title} and the end.
     */
    public static void service(StringBuilder sb, ServiceView v, ListMode mode, boolean exact, Names names) {
        switch (mode) {
            case STATS -> StatsFormatter.service(sb, v, exact, names);
            case RATE -> RateFormatter.service(sb, v, exact, names);
            default -> service(sb, v, mode, names);
        }
    }

    public static String header(IpvsInfo info) {
        return "IP Virtual Server version " + info.version() + " (size=" + info.connectionTableSize() + ")\n";
    }

    public static String title(ListMode mode) {
        return switch (mode) {
            case STATS -> StatsFormatter.TITLE;
            case RATE -> RateFormatter.TITLE;
            case THRESHOLDS -> String.format("%-33s %-10s %-10s %-10s %-10s\n", "Prot LocalAddress:Port",
                    "Uthreshold", "Lthreshold", "ActiveConn", "InActConn") + "  -> RemoteAddress:Port\n";
            case PERSISTENT_CONN -> String.format("%-33s %-9s %-11s %-10s %-10s\n", "Prot LocalAddress:Port",
                    "Weight", "PersistConn", "ActiveConn", "InActConn") + "  -> RemoteAddress:Port\n";
            case TUN_INFO -> "Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n";
            case PLAIN -> "Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
        };
    }

    private static void service(StringBuilder sb, ServiceView v, ListMode mode, Names names) {
        Service s = v.entry().service();
        sb.append(ServiceText.listingName(s.key(), names)).append(' ').append(s.scheduler());
        if (ServiceText.hasSchedFlags(s)) {
            sb.append(" (").append(ServiceText.schedFlags(s)).append(')');
        }
        if (s.persistent()) {
            sb.append(" persistent ").append(s.timeout());
            if (s.key().family() == AddressFamily.INET6) {
                if (s.netmask() != 128) {
                    sb.append(" mask ").append(s.netmask());
                }
            } else if (s.netmask() != 0xFFFF_FFFFL) {
                sb.append(" mask ").append(ServiceText.dotted(s.netmask()));
            }
            if (s.persistenceEngine() != null) {
                sb.append(" pe ").append(s.persistenceEngine());
            }
        }
        if (s.flags().contains(ServiceFlag.ONE_PACKET)) {
            sb.append(" ops");
        }
        sb.append('\n');
        for (DestinationEntry e : v.destinations()) {
            Destination d = e.destination();
            String name = ServiceText.destinationName(s.key(), d, names);
            long active = ServiceText.u32(e.activeConnections());
            long inactive = ServiceText.u32(e.inactiveConnections());
            sb.append("  -> ");
            ServiceText.left(sb, name, 28).append(' ');
            switch (mode) {
                case THRESHOLDS -> {
                    ServiceText.left(sb, ServiceText.u32(d.upperThreshold()), 10).append(' ');
                    ServiceText.left(sb, ServiceText.u32(d.lowerThreshold()), 10).append(' ');
                }
                case PERSISTENT_CONN -> {
                    ServiceText.left(sb, ServiceText.u32(d.weight()), 9).append(' ');
                    ServiceText.left(sb, ServiceText.u32(e.persistentConnections()), 11).append(' ');
                }
                case TUN_INFO -> {
                    ServiceText.left(sb, ServiceText.forwardingName(d.forwarding()), 7).append(' ');
                    ServiceText.left(sb, tunnelInfo(d), 13).append(' ');
                    ServiceText.left(sb, d.weight(), 6).append(' ');
                }
                default -> {
                    ServiceText.left(sb, ServiceText.forwardingName(d.forwarding()), 7).append(' ');
                    ServiceText.left(sb, d.weight(), 6).append(' ');
                }
            }
            ServiceText.left(sb, active, 10).append(' ');
            ServiceText.left(sb, inactive, 10).append('\n');
        }
    }

    /** fwd_tun_info: ipip, gue:PORT:FLAG or gre:FLAG for tunnels, n/a otherwise. */
    static String tunnelInfo(Destination d) {
        if (d.forwarding() != ForwardingMethod.TUNNEL) {
            return "n/a";
        }
        String flag = switch (d.tunnelChecksum()) {
            case NOCSUM -> "-c";
            case CSUM -> "+c";
            case REMCSUM -> "r+c";
        };
        return switch (d.tunnelType()) {
            case IPIP -> "ipip";
            case GUE -> "gue:" + d.tunnelPort() + ":" + flag;
            case GRE -> "gre:" + flag;
        };
    }

    /** -L --timeout. */
    public static String timeouts(Timeouts t) {
        return "Timeout (tcp tcpfin udp): " + t.tcp() + " " + t.tcpFin() + " " + t.udp() + "\n";
    }

    /** -L --daemon: master first, then backup, each only when running. */
    public static String daemons(List<SyncDaemon> daemons) {
        StringBuilder sb = new StringBuilder();
        for (SyncState state : new SyncState[] {SyncState.MASTER, SyncState.BACKUP}) {
            for (SyncDaemon d : daemons) {
                if (d.state() != state) {
                    continue;
                }
                sb.append(state == SyncState.MASTER ? "master" : "backup").append(" sync daemon (mcast=")
                        .append(d.interfaceName()).append(", syncid=").append(d.syncId());
                if (d.maxLength() != 0) {
                    sb.append(", maxlen=").append(d.maxLength());
                }
                if (d.group() != null) {
                    sb.append(", group=").append(Addresses.ntop(d.group()));
                }
                if (d.port() != 0) {
                    sb.append(", port=").append(d.port());
                }
                if (d.ttl() != 0) {
                    sb.append(", ttl=").append(d.ttl());
                }
                sb.append(")\n");
            }
        }
        return sb.toString();
    }
}

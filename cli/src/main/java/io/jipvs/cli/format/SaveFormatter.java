package io.jipvs.cli.format;

import io.jipvs.model.AddressFamily;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.ServiceKey;
import java.util.List;

/** ipvsadm -S: the rules as -A/-a command lines (no thresholds, timeouts or daemons). Pure. */
public final class SaveFormatter {
    private SaveFormatter() {
    }

    public static String format(List<ServiceView> services, Names names) {
        StringBuilder sb = new StringBuilder();
        for (ServiceView v : services) {
            service(sb, v, names);
        }
        return sb.toString();
    }

    /** The -A line of one service and the -a lines of its destinations, appended to {@code sb}. */
    public static void service(StringBuilder sb, ServiceView v, Names names) {
        Service s = v.entry().service();
        String svc = serviceName(s.key(), names);
        sb.append("-A ").append(svc).append(" -s ").append(s.scheduler());
        if (s.persistent()) {
            sb.append(" -p ").append(s.timeout());
            if (s.key().family() == AddressFamily.INET6) {
                if (s.netmask() != 128) {
                    sb.append(" -M ").append(s.netmask());
                }
            } else if (s.netmask() != 0xFFFF_FFFFL) {
                sb.append(" -M ").append(ServiceText.dotted(s.netmask()));
            }
        }
        if (s.persistenceEngine() != null) {
            sb.append(" --pe ").append(s.persistenceEngine());
        }
        if (s.flags().contains(ServiceFlag.ONE_PACKET)) {
            sb.append(" -o");
        }
        if (ServiceText.hasSchedFlags(s)) {
            sb.append(" -b ").append(ServiceText.schedFlags(s));
        }
        sb.append('\n');
        for (DestinationEntry e : v.destinations()) {
            Destination d = e.destination();
            String dname = names.of(d.address(), d.port(), s.key().fwmarkBased() ? null : s.key().protocol());
            String sw = switch (d.forwarding()) {
                case MASQ -> "-m";
                case TUNNEL -> "-i";
                default -> "-g";
            };
            sb.append("-a ").append(svc).append(" -r ").append(dname).append(' ').append(sw)
                    .append(" -w ").append(d.weight());
            if (d.forwarding() == io.jipvs.model.ForwardingMethod.TUNNEL) {
                String csum = switch (d.tunnelChecksum()) {
                    case NOCSUM -> "--tun-nocsum";
                    case CSUM -> "--tun-csum";
                    case REMCSUM -> "--tun-remcsum";
                };
                switch (d.tunnelType()) {
                    case IPIP -> sb.append(" --tun-type ipip");
                    case GUE -> sb.append(" --tun-type gue --tun-port ").append(d.tunnelPort()).append(' ')
                            .append(csum);
                    case GRE -> sb.append(" --tun-type gre ").append(csum);
                }
            }
            sb.append('\n');
        }
    }

    /** "-f %d[ -6]" (signed, as Debian's 1.31) or "-t|-u|--sctp-service addr:port". */
    static String serviceName(ServiceKey key, Names names) {
        if (key.fwmarkBased()) {
            return "-f " + (int) key.fwmark() + (key.family() == AddressFamily.INET6 ? " -6" : "");
        }
        String option = switch (key.protocol()) {
            case TCP -> "-t";
            case UDP -> "-u";
            case SCTP -> "--sctp-service";
        };
        return option + " " + names.of(key.address(), key.port(), key.protocol());
    }
}

package io.jipvs.cli.format;

import io.jipvs.model.AddressFamily;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.ServiceKey;

/** Pieces of ipvsadm's service and destination text shared by the listing and save formats. */
final class ServiceText {
    private ServiceText() {
    }

    /** The listing name: "FWM  %d[ IPv6]" (signed, as Debian's 1.31) or "%-4s addr:port". */
    static String listingName(ServiceKey key, Names names) {
        if (key.fwmarkBased()) {
            return "FWM  " + (int) key.fwmark() + (key.family() == AddressFamily.INET6 ? " IPv6" : "");
        }
        StringBuilder sb = new StringBuilder(40);
        left(sb, key.protocol().name(), 4).append(' ').append(names.of(key.address(), key.port(), key.protocol()));
        String s = sb.toString();
        if (key.family() != AddressFamily.INET6 && s.length() > 33) {
            s = s.substring(0, 33);
        }
        return s;
    }

    /** The destination name in listings: IPv4 names cut at 28 characters. */
    static String destinationName(ServiceKey service, io.jipvs.model.Destination d, Names names) {
        String s = names.of(d.address(), d.port(), service.fwmarkBased() ? null : service.protocol());
        if (d.family() != AddressFamily.INET6 && s.length() > 28) {
            s = s.substring(0, 28);
        }
        return s;
    }

    static boolean hasSchedFlags(Service s) {
        return s.flags().contains(ServiceFlag.SCHED1) || s.flags().contains(ServiceFlag.SCHED2)
                || s.flags().contains(ServiceFlag.SCHED3);
    }

    /** print_sched_flags: names depend on the scheduler (sh, mh, or generic flag-N). */
    static String schedFlags(Service s) {
        StringBuilder sb = new StringBuilder();
        String sched = s.scheduler();
        if (sched.equals("sh") || sched.equals("mh")) {
            if (s.flags().contains(ServiceFlag.SCHED1)) {
                sb.append(sched).append("-fallback");
            }
            if (s.flags().contains(ServiceFlag.SCHED2)) {
                sb.append(sb.length() > 0 ? "," : "").append(sched).append("-port");
            }
        } else {
            ServiceFlag[] f = {ServiceFlag.SCHED1, ServiceFlag.SCHED2, ServiceFlag.SCHED3};
            for (int i = 0; i < 3; i++) {
                if (s.flags().contains(f[i])) {
                    sb.append(sb.length() > 0 ? "," : "").append("flag-").append(i + 1);
                }
            }
        }
        return sb.toString();
    }

    /** inet_ntoa of a host-order IPv4 mask. */
    static String dotted(long mask) {
        return ((mask >> 24) & 0xFF) + "." + ((mask >> 16) & 0xFF) + "." + ((mask >> 8) & 0xFF) + "." + (mask & 0xFF);
    }

    static String forwardingName(ForwardingMethod m) {
        return switch (m) {
            case MASQ -> "Masq";
            case LOCAL -> "Local";
            case TUNNEL -> "Tunnel";
            case ROUTE -> "Route";
            default -> "(null)"; // glibc's printf of ipvsadm's NULL name
        };
    }

    /**
     * printf's "%-Ns": the text, then blanks up to {@code width} (never cut). Listings print one
     * such field per column and line; java.util.Formatter would parse its format string with a
     * regex every time, which is most of a large listing's user time.
     */
    static StringBuilder left(StringBuilder sb, String text, int width) {
        sb.append(text);
        for (int i = text.length(); i < width; i++) {
            sb.append(' ');
        }
        return sb;
    }

    /** printf's "%-Nd". */
    static StringBuilder left(StringBuilder sb, long value, int width) {
        int start = sb.length();
        sb.append(value);
        for (int i = sb.length() - start; i < width; i++) {
            sb.append(' ');
        }
        return sb;
    }

    /** printf's "%Nd": blanks first, then the number. */
    static StringBuilder right(StringBuilder sb, long value, int width) {
        int start = sb.length();
        sb.append(value);
        int pad = width - (sb.length() - start);
        for (int i = 0; i < pad; i++) {
            sb.insert(start, ' ');
        }
        return sb;
    }

    static long u32(long v) {
        return v & 0xFFFF_FFFFL;
    }
}

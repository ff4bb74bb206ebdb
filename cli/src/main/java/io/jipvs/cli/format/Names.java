package io.jipvs.cli.format;

import io.jipvs.cli.names.Resolver;
import io.jipvs.model.Protocol;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * ipvsadm's addrport_to_anyname: "addr:port" (IPv6 in brackets), with host and service names
 * unless numeric, cut to its 59-character buffer. Also inet_ntop for IPv6, whose compressed form
 * the JDK does not produce.
 */
public final class Names {
    private static final int BUFFER_LIMIT = 59;

    private final Resolver resolver;
    private final boolean numeric;

    public Names(Resolver resolver, boolean numeric) {
        this.resolver = resolver;
        this.numeric = numeric;
    }

    /** Numeric names only. */
    public static Names numeric() {
        return new Names(Resolver.NONE, true);
    }

    /**
     * The name of an address and port; {@code protocol} null means the port stays numeric (fwmark
     * services: the kernel reports no protocol for them).
     */
    public String of(InetAddress address, int port, Protocol protocol) {
        boolean v6 = address instanceof Inet6Address;
        String host = null;
        String service = null;
        if (!numeric) {
            host = resolver.hostByAddress(address);
            if (protocol != null) {
                service = resolver.serviceByPort(port, protocol.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        if (host == null) {
            host = ntop(address);
        }
        if (service == null) {
            service = Integer.toString(port);
        }
        String s = (v6 ? "[" : "") + host + (v6 ? "]" : "") + ":" + service;
        return s.length() > BUFFER_LIMIT ? s.substring(0, BUFFER_LIMIT) : s;
    }

    /** inet_ntop: dotted IPv4, or glibc's compressed lower-case IPv6 (mixed notation for v4-mapped). */
    public static String ntop(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
        }
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = (b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF);
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (w[i] == 0) {
                if (curBase < 0) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase >= 0) {
                if (bestBase < 0 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase >= 0 && (bestBase < 0 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase >= 0 && bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                sb.append(b[12] & 0xFF).append('.').append(b[13] & 0xFF).append('.')
                        .append(b[14] & 0xFF).append('.').append(b[15] & 0xFF);
                break;
            }
            sb.append(Integer.toHexString(w[i]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }
}

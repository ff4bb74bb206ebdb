package io.jipvs.cli.format;

import io.jipvs.cli.names.Resolver;
import io.jipvs.model.Addresses;
import io.jipvs.model.Protocol;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * ipvsadm's addrport_to_anyname: "addr:port" (IPv6 in brackets), with host and service names
 * unless numeric, cut to its 59-character buffer.
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
            host = Addresses.ntop(address);
        }
        if (service == null) {
            service = Integer.toString(port);
        }
        String s = (v6 ? "[" : "") + host + (v6 ? "]" : "") + ":" + service;
        return s.length() > BUFFER_LIMIT ? s.substring(0, BUFFER_LIMIT) : s;
    }
}

package io.jipvs.cli.ipvsadm;

import io.jipvs.cli.names.Resolver;
import io.jipvs.model.Addresses;
import io.jipvs.model.Protocol;
import java.net.InetAddress;
import java.util.Locale;

/**
 * ipvsadm's parse_service: the address[:port] of -t/-u/--sctp-service and -r. Host names and
 * service names go through the {@link Resolver}, so parsing stays testable without a network.
 */
final class Endpoints {
    /** An accepted address[:port]; the family follows the address. */
    record Endpoint(InetAddress address, int port) {
    }

    private final Resolver resolver;

    Endpoints(Resolver resolver) {
        this.resolver = resolver;
    }

    /**
     * [v6]:port, bare IPv6 (no port), or host[:port] split at the last ':', the host through
     * inet_aton then gethostbyname, the port a number or a service name of {@code protocol}.
     *
     * @param protocol    the service's protocol so far (null when -r comes before the service)
     * @param defaultPort the port when none is given (what the target held before: the
     *                    service's port for -r)
     * @return the endpoint, or null where ipvsadm says "illegal ... address[:port] specified"
     */
    Endpoint parse(String buf, Protocol protocol, int defaultPort) {
        if (buf.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return null; // all digits, including the empty string
        }
        String host;
        String port = null;
        boolean bracketed = false;
        if (buf.startsWith("[")) {
            int close = buf.indexOf(']');
            if (close < 0 || close + 1 >= buf.length() || buf.charAt(close + 1) != ':') {
                return null;
            }
            host = buf.substring(1, close);
            port = buf.substring(close + 2);
            bracketed = true;
        } else {
            host = buf;
        }
        InetAddress address;
        byte[] v6 = Addresses.pton6(host);
        if (v6 != null) {
            address = Addresses.of(v6);
            if (!bracketed) {
                port = null;
            }
        } else {
            if (!bracketed) {
                int colon = host.lastIndexOf(':');
                if (colon >= 0) {
                    port = host.substring(colon + 1);
                    host = host.substring(0, colon);
                }
            } else {
                // ipvsadm loses the port of a bracketed host name (its port pointer is overwritten)
                port = null;
            }
            address = ipv4(host);
            if (address == null) {
                return null;
            }
        }
        if (port == null) {
            return new Endpoint(address, defaultPort);
        }
        int p = port(port, protocol);
        return p < 0 ? null : new Endpoint(address, p);
    }

    /** inet_aton, then gethostbyname (IPv4 only). */
    private InetAddress ipv4(String host) {
        byte[] v4 = Addresses.aton(host);
        return v4 != null ? Addresses.of(v4) : resolver.hostByName(host);
    }

    /** A port number 0..65535 or a service name of the protocol; -1 when neither. */
    private int port(String port, Protocol protocol) {
        long n = CNumbers.stringToNumber(port, 0, 65535);
        if (n != Long.MIN_VALUE) {
            return (int) n;
        }
        if (port.isEmpty()) {
            return -1;
        }
        // before -t/-u (-r given first) getservbyname is asked for any protocol
        return resolver.portByName(port, protocol == null ? null : protocol.name().toLowerCase(Locale.ROOT));
    }
}

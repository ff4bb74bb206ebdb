package io.jipvs.cli.names;

import java.net.InetAddress;

/**
 * The four C library look-ups ipvsadm makes (gethostbyname, getservbyname, gethostbyaddr,
 * getservbyport), behind an interface so parsing and formatting stay pure and testable.
 */
public interface Resolver {
    /** gethostbyname: the first IPv4 address of a host name, or null. */
    InetAddress hostByName(String name);

    /** getservbyname: the port of a service name for "tcp"/"udp"/"sctp" (null: any), or -1. */
    int portByName(String name, String protocol);

    /** gethostbyaddr: the host name of an address, or null when it has none. */
    String hostByAddress(InetAddress address);

    /** getservbyport: the service name of a port for a protocol, or null. */
    String serviceByPort(int port, String protocol);

    /** A resolver that knows no names (for tests and for numeric output). */
    Resolver NONE = new Resolver() {
        @Override
        public InetAddress hostByName(String name) {
            return null;
        }

        @Override
        public int portByName(String name, String protocol) {
            return -1;
        }

        @Override
        public String hostByAddress(InetAddress address) {
            return null;
        }

        @Override
        public String serviceByPort(int port, String protocol) {
            return null;
        }
    };
}

package io.jipvs.control.health;

import java.util.Locale;

/** The kinds of check, named as the file spells them, with keepalived's checker for each. */
public enum CheckType {
    /** A TCP connect (keepalived TCP_CHECK). */
    TCP,
    /** An HTTP request (HTTP_GET). */
    HTTP,
    /** An HTTP request over TLS (SSL_GET). */
    HTTPS,
    /** A datagram sent; an ICMP unreachable, or no reply when one is required, fails (UDP_CHECK). */
    UDP,
    /** A DNS query over UDP (DNS_CHECK). */
    DNS,
    /** A program run with a timeout (MISC_CHECK). */
    EXEC;

    /**
     * The file's word.
     *
     * @return tcp, http, https, udp, dns or exec
     */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}

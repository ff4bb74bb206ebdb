package io.jipvs.control.health;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One health check as the file gives it (a service's {@code check:}, or a real server's own),
 * with every default filled in. docs/serve.md maps each field to keepalived's keyword.
 *
 * @param type             the kind of check
 * @param interval         time between checks (keepalived {@code delay_loop})
 * @param timeout          how long one check may take (keepalived {@code connect_timeout})
 * @param fall             failures in a row before the server is down (keepalived {@code retry} + 1)
 * @param rise             successes in a row before a down server is up (keepalived: always 1)
 * @param delayBeforeRetry time before the next check after a failure that has not yet taken the
 *                         server down (keepalived {@code delay_before_retry})
 * @param warmup           the first check comes at a random time within this (keepalived {@code warmup})
 * @param alpha            start down, until {@code rise} checks pass (keepalived {@code alpha})
 * @param connectTo        the address checked instead of the real server's, or null
 * @param port             the port checked instead of the real server's, or 0
 * @param bindTo           the source address of the check, or null (keepalived {@code bindto})
 * @param http             the request of an http or https check, else null
 * @param udp              the datagram of a udp check, else null
 * @param dns              the query of a dns check, else null
 * @param exec             the program of an exec check, else null
 */
public record CheckSpec(CheckType type, Duration interval, Duration timeout, int fall, int rise,
                        Duration delayBeforeRetry, Duration warmup, boolean alpha, InetAddress connectTo, int port,
                        InetAddress bindTo, Http http, Udp udp, Dns dns, Exec exec) {

    /** Time between checks unless the file says (keepalived's delay_loop is 60 s). */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** How long a check may take (keepalived's connect_timeout is 5 s). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    /** Failures in a row before down: keepalived's default retry 1 means two. */
    public static final int DEFAULT_FALL = 2;
    /** Successes in a row before up: keepalived has no rise count, which is 1. */
    public static final int DEFAULT_RISE = 1;
    /** Time before a retry (keepalived's delay_before_retry is 1 s). */
    public static final Duration DEFAULT_DELAY_BEFORE_RETRY = Duration.ofSeconds(1);

    /**
     * Checks that the options match the type.
     *
     * @param type             the kind
     * @param interval         the interval
     * @param timeout          the timeout
     * @param fall             failures before down, at least 1
     * @param rise             successes before up, at least 1
     * @param delayBeforeRetry the retry delay
     * @param warmup           the start spread
     * @param alpha            start down
     * @param connectTo        another address, or null
     * @param port             another port, or 0
     * @param bindTo           a source address, or null
     * @param http             the request (http, https)
     * @param udp              the datagram (udp)
     * @param dns              the query (dns)
     * @param exec             the program (exec)
     */
    public CheckSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(delayBeforeRetry, "delayBeforeRetry");
        Objects.requireNonNull(warmup, "warmup");
        if (fall < 1 || rise < 1) {
            throw new IllegalArgumentException("fall and rise must be at least 1");
        }
        if (interval.isZero() || interval.isNegative() || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("interval and timeout must be positive");
        }
        if ((type == CheckType.HTTP || type == CheckType.HTTPS) != (http != null)
                || (type == CheckType.UDP) != (udp != null) || (type == CheckType.DNS) != (dns != null)
                || (type == CheckType.EXEC) != (exec != null)) {
            throw new IllegalArgumentException("the options of a " + type.word() + " check do not match it");
        }
    }

    /**
     * An HTTP or HTTPS request and what its answer must be.
     *
     * @param method    the method (GET unless told)
     * @param path      the path and query
     * @param host      the Host header, or null for the address checked
     * @param expect    the status codes that pass (keepalived: 200-299)
     * @param regex     a regular expression the body must contain a match of, or null
     * @param digest    the MD5 of the body in hex, as keepalived's {@code digest} (genhash), or null
     * @param tlsVerify for https: verify the server's certificate and name
     * @param sni       for https: the server name sent (SNI) and verified, or null for {@code host}
     */
    public record Http(String method, String path, String host, List<StatusRange> expect, String regex,
                       String digest, boolean tlsVerify, String sni) {
        /**
         * Copies the list.
         *
         * @param method    the method
         * @param path      the path
         * @param host      the Host header, or null
         * @param expect    the passing codes
         * @param regex     the body pattern, or null
         * @param digest    the body's MD5, or null
         * @param tlsVerify verify the certificate
         * @param sni       the server name, or null
         */
        public Http {
            expect = List.copyOf(expect);
        }

        /** The codes that pass unless the file says: 2xx, as keepalived. */
        public static final List<StatusRange> DEFAULT_EXPECT = List.of(new StatusRange(200, 299));

        /**
         * The name sent as SNI and checked in the certificate.
         *
         * @return {@code sni}, else {@code host}, else null
         */
        public String serverName() {
            return sni != null ? sni : host;
        }
    }

    /**
     * Status codes from {@code low} to {@code high}.
     *
     * @param low  the first code
     * @param high the last code
     */
    public record StatusRange(int low, int high) {
        /**
         * Whether a code is in the range.
         *
         * @param code a status code
         * @return true when in it
         */
        public boolean contains(int code) {
            return code >= low && code <= high;
        }

        @Override
        public String toString() {
            return low == high ? Integer.toString(low) : low + "-" + high;
        }
    }

    /**
     * A UDP check's datagram.
     *
     * @param payload      the datagram, in hex (keepalived {@code payload})
     * @param requireReply a reply must come within the timeout (keepalived {@code require_reply})
     */
    public record Udp(String payload, boolean requireReply) {
    }

    /**
     * A DNS check's query.
     *
     * @param name      the name asked (keepalived {@code name}, default ".")
     * @param queryType the record type (keepalived {@code type}, default SOA)
     * @param rcode     the response code that passes (NOERROR unless told)
     */
    public record Dns(String name, String queryType, String rcode) {
    }

    /**
     * An exec check's program.
     *
     * @param command the program and its arguments
     * @param dynamic exit codes 2..255 pass and set the weight to the code minus 2 (keepalived
     *                {@code misc_dynamic})
     */
    public record Exec(List<String> command, boolean dynamic) {
        /**
         * Copies the list.
         *
         * @param command the argv
         * @param dynamic misc_dynamic
         */
        public Exec {
            command = List.copyOf(command);
        }
    }
}

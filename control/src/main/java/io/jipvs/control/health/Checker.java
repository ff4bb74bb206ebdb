package io.jipvs.control.health;

/**
 * One kind of check. A checker starts its probe on the probe's event loop and never blocks it:
 * it finishes the probe (pass or fail) exactly once, from a callback, and the probe's timeout
 * fails whatever has not finished in time.
 */
interface Checker {
    /**
     * Starts the check.
     *
     * @param probe what to check, where, and how to report
     */
    void start(Probe probe);

    /**
     * The server is no longer checked: releases what the checker keeps between checks (the tcp
     * checker's socket). Called on the probes' event loop, after or during the last probe.
     */
    default void close() {
    }

    /**
     * The checker of a kind.
     *
     * @param type the kind
     * @param tls  the TLS contexts https checks share
     * @return its checker
     */
    static Checker of(CheckType type, TlsContexts tls) {
        return switch (type) {
            case TCP -> new TcpChecker();
            case HTTP, HTTPS -> new HttpChecker(tls);
            case UDP -> new UdpChecker();
            case DNS -> new DnsChecker();
            case EXEC -> new ExecChecker();
        };
    }
}

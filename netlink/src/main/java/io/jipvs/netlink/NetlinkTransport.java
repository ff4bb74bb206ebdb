package io.jipvs.netlink;

/**
 * Datagram I/O on a netlink socket: what {@link NetlinkConnection} needs from the kernel. The
 * real implementation is {@link NetlinkSocket}; tests script a fake one.
 */
public interface NetlinkTransport extends AutoCloseable {

    /** The port id the kernel assigned to this socket (nl_pid of getsockname). */
    int portId();

    /** Sends one datagram (one or more netlink messages) to the kernel. */
    void send(byte[] datagram, int length);

    /**
     * Receives one datagram from the kernel into {@code buffer} and returns its length; fails if
     * the datagram did not fit.
     */
    int receive(byte[] buffer);

    /** Effective SO_SNDBUF in bytes; a datagram may be at most this minus 32. */
    int sendBufferSize();

    /** Effective SO_RCVBUF in bytes; bounds how many replies can queue up. */
    int receiveBufferSize();

    /** How many send system calls this transport has made. */
    long sendCalls();

    /** How many receive system calls this transport has made. */
    long receiveCalls();

    @Override
    void close();
}

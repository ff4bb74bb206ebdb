package io.jipvs.netlink;

/**
 * Datagram I/O on a netlink socket: what the library's request/reply machinery needs from the
 * kernel. The library opens real sockets itself; tests pass a scripted fake (the {@code nltest}
 * test jar's {@code ScriptedTransport}) to the clients' {@code open(NetlinkTransport)}.
 */
public interface NetlinkTransport extends AutoCloseable {

    /**
     * The port id the kernel assigned to this socket (nl_pid of getsockname).
     *
     * @return the port id
     */
    int portId();

    /**
     * Sends one datagram (one or more netlink messages) to the kernel.
     *
     * @param datagram the bytes
     * @param length   how many of them to send
     * @throws NetlinkException when the kernel refuses it (e.g. EMSGSIZE) or the socket is closed
     */
    void send(byte[] datagram, int length);

    /**
     * Receives one datagram from the kernel into {@code buffer}; fails if the datagram did not fit.
     *
     * @param buffer where to put it
     * @return its length
     * @throws NetlinkException on a timeout (EAGAIN), truncation, or a closed socket
     */
    int receive(byte[] buffer);

    /**
     * Effective SO_SNDBUF in bytes; a datagram may be at most this minus 32.
     *
     * @return the size
     */
    int sendBufferSize();

    /**
     * Effective SO_RCVBUF in bytes; bounds how many replies can queue up.
     *
     * @return the size
     */
    int receiveBufferSize();

    /**
     * How many send system calls this transport has made.
     *
     * @return the count
     */
    long sendCalls();

    /**
     * How many receive system calls this transport has made.
     *
     * @return the count
     */
    long receiveCalls();

    @Override
    void close();
}

package io.jipvs.netlink.internal;

import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.NetlinkTransport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.Pointer;

/**
 * A raw AF_NETLINK socket driven through JNR-FFI: blocking, with a receive timeout, bound to a
 * kernel-assigned port id, connected to the kernel (port 0) and talking only to it. Sends and receives are not
 * thread-safe among themselves ({@link NetlinkConnection} serialises them), but {@link #close()}
 * may come from any thread at any time: once closed, every operation fails with EBADF ("socket
 * closed"), and the descriptor number is released only when no send or receive still uses it,
 * so a late call can never act on a file that reused the number.
 */
public final class NetlinkSocket implements NetlinkTransport {
    private static final int SOCKADDR_NL_LENGTH = 12;

    /**
     * Socket settings.
     *
     * @param receiveTimeout how long a receive may block (SO_RCVTIMEO)
     * @param bufferBytes    requested SO_SNDBUF and SO_RCVBUF (the kernel doubles it); forced
     *                       past the sysctl limits when the caller has CAP_NET_ADMIN
     */
    public record Options(Duration receiveTimeout, int bufferBytes) {
        /** 30 s timeout; 4 MiB buffers so that large batches fit in few datagrams. */
        public static final Options DEFAULT = new Options(Duration.ofSeconds(30), 4 << 20);
    }

    private final int fd;
    private final int portId;
    private final int sendBufferSize;
    private final int receiveBufferSize;
    private final Duration receiveTimeout;
    // Native memory for sendto and recvfrom, grown as needed and reused (the connection serialises
    // callers).
    private Pointer sendMemory;
    private Pointer receiveMemory;
    private final Pointer peer = Native.allocate(SOCKADDR_NL_LENGTH);
    private final Pointer peerLength = Native.allocate(4);
    // Guards closed/inFlight: the descriptor is closed by whoever sees closed with nothing in flight.
    private final Object state = new Object();
    private boolean closed;
    private int inFlight;
    private final AtomicLong sends = new AtomicLong();
    private final AtomicLong receives = new AtomicLong();

    private NetlinkSocket(int fd, int portId, int sendBufferSize, int receiveBufferSize, Duration receiveTimeout) {
        this.fd = fd;
        this.portId = portId;
        this.sendBufferSize = sendBufferSize;
        this.receiveBufferSize = receiveBufferSize;
        this.receiveTimeout = receiveTimeout;
    }

    /** Opens a socket of a netlink protocol (e.g. {@link Netlink#NETLINK_GENERIC}) in the caller's netns. */
    public static NetlinkSocket open(int protocol) {
        return open(protocol, Options.DEFAULT);
    }

    public static NetlinkSocket open(int protocol, Options options) {
        int fd = Native.libc().socket(Netlink.AF_NETLINK, Native.SOCK_RAW | Native.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw NetlinkException.of("socket(AF_NETLINK)", Native.errno());
        }
        return configure(fd, options);
    }

    /**
     * Takes over a netlink socket of {@code protocol} that another process created and passed
     * here (SCM_RIGHTS). The socket keeps its opener's credentials and network namespace, which
     * is what the kernel judges every request by. It is bound here if its opener did not bind it.
     *
     * @param fd       the socket; owned by the returned object from now on, closed on failure
     * @param protocol the netlink protocol it must have been created with
     * @param options  its settings
     * @return the socket
     * @throws NetlinkException when {@code fd} is not such a socket, or cannot be set up
     */
    public static NetlinkSocket adopt(int fd, int protocol, Options options) {
        try {
            if (getInt(fd, Native.SO_DOMAIN) != Netlink.AF_NETLINK || getInt(fd, Native.SO_PROTOCOL) != protocol) {
                throw new NetlinkException("adopt", Errno.EINVAL,
                        "adopt: not a netlink socket of protocol " + protocol, null);
            }
            int type = getInt(fd, Native.SO_TYPE);
            if (type != Native.SOCK_RAW && type != Native.SOCK_DGRAM) {
                throw new NetlinkException("adopt", Errno.EINVAL, "adopt: not a datagram socket", null);
            }
        } catch (RuntimeException e) {
            Native.libc().close(fd);
            throw e;
        }
        return configure(fd, options);
    }

    /** Binds (unless bound already), sets the options and wraps {@code fd}; closes it on failure. */
    private static NetlinkSocket configure(int fd, Options options) {
        LibC libc = Native.libc();
        try {
            // EINVAL: bound already, to the port getsockname reports.
            if (libc.bind(fd, sockaddr(0), SOCKADDR_NL_LENGTH) != 0 && Native.errno() != Errno.EINVAL) {
                throw NetlinkException.of("bind", Native.errno());
            }
            byte[] local = new byte[SOCKADDR_NL_LENGTH];
            byte[] localLength = socklen(SOCKADDR_NL_LENGTH);
            if (libc.getsockname(fd, local, localLength) != 0) {
                throw NetlinkException.of("getsockname", Native.errno());
            }
            int portId = ByteBuffer.wrap(local).order(ByteOrder.nativeOrder()).getInt(4);
            if (portId == 0) {
                throw NetlinkException.of("bind", Errno.EINVAL);
            }
            // Connecting to port 0 makes the kernel the destination of every send, whatever an
            // adopted socket's opener connected it to.
            if (libc.connect(fd, sockaddr(0), SOCKADDR_NL_LENGTH) != 0) {
                throw NetlinkException.of("connect", Native.errno());
            }
            // Optional features: an old kernel without them still works, so failures are ignored.
            setInt(fd, Netlink.SOL_NETLINK, Netlink.NETLINK_EXT_ACK, 1);
            setInt(fd, Netlink.SOL_NETLINK, Netlink.NETLINK_CAP_ACK, 1);
            if (!setInt(fd, Native.SOL_SOCKET, Native.SO_SNDBUFFORCE, options.bufferBytes())) {
                setInt(fd, Native.SOL_SOCKET, Native.SO_SNDBUF, options.bufferBytes());
            }
            if (!setInt(fd, Native.SOL_SOCKET, Native.SO_RCVBUFFORCE, options.bufferBytes())) {
                setInt(fd, Native.SOL_SOCKET, Native.SO_RCVBUF, options.bufferBytes());
            }
            long micros = options.receiveTimeout().toNanos() / 1000;
            byte[] timeval = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder())
                    .putLong(micros / 1_000_000).putLong(micros % 1_000_000).array();
            if (libc.setsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVTIMEO, timeval, timeval.length) != 0) {
                throw NetlinkException.of("setsockopt(SO_RCVTIMEO)", Native.errno());
            }
            return new NetlinkSocket(fd, portId, getInt(fd, Native.SO_SNDBUF), getInt(fd, Native.SO_RCVBUF),
                    options.receiveTimeout());
        } catch (RuntimeException e) {
            libc.close(fd);
            throw e;
        }
    }

    @Override
    public int portId() {
        return portId;
    }

    @Override
    public int sendBufferSize() {
        return sendBufferSize;
    }

    @Override
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    @Override
    public void send(byte[] datagram, int length) {
        begin("sendto");
        try {
            if (sendMemory == null || sendMemory.size() < length) {
                sendMemory = Native.allocate(length);
            }
            sendMemory.put(0, datagram, 0, length);
            while (true) {
                sends.incrementAndGet();
                // No address: the socket's own destination, the kernel (see configure). With an
                // address the kernel would skip its check of the socket opener's capabilities
                // (NETLINK_SKB_DST), and an adopted socket would carry this process's instead.
                long n = Native.libc().sendto(fd, sendMemory, length, 0, null, 0);
                if (n >= 0) {
                    return;
                }
                int errno = Native.errno();
                if (errno != Errno.EINTR) {
                    throw NetlinkException.of("sendto", errno);
                }
            }
        } finally {
            end();
        }
    }

    @Override
    public int receive(byte[] buffer) {
        begin("recvfrom");
        try {
            return receiveInto(buffer);
        } finally {
            end();
        }
    }

    private int receiveInto(byte[] buffer) {
        if (receiveMemory == null || receiveMemory.size() < buffer.length) {
            receiveMemory = Native.allocate(buffer.length);
        }
        while (true) {
            peerLength.putInt(0, SOCKADDR_NL_LENGTH);
            receives.incrementAndGet();
            // MSG_TRUNC makes the call return the real datagram size, so truncation is detectable.
            long n = Native.libc().recvfrom(fd, receiveMemory, buffer.length, Native.MSG_TRUNC, peer, peerLength);
            if (n < 0) {
                int errno = Native.errno();
                if (isClosed()) {
                    throw closedError("recvfrom"); // closed while we waited: say so, not "timed out"
                }
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (errno == Errno.EAGAIN) {
                    throw new NetlinkException("recvfrom", Errno.EAGAIN,
                            "recvfrom: no reply from the kernel within " + receiveTimeout.toMillis() + " ms", null);
                }
                throw NetlinkException.of("recvfrom", errno);
            }
            if (n > buffer.length) {
                throw NetlinkException.protocol("recvfrom",
                        "datagram of " + n + " bytes truncated to " + buffer.length);
            }
            if (peer.getInt(4) != 0) {
                // Another process unicast to our port: not a kernel reply, drop it.
                continue;
            }
            receiveMemory.get(0, buffer, 0, (int) n); // only what arrived
            return (int) n;
        }
    }

    @Override
    public long sendCalls() {
        return sends.get();
    }

    @Override
    public long receiveCalls() {
        return receives.get();
    }

    /** Idempotent, and never blocks: a send or receive in flight closes the descriptor when it ends. */
    @Override
    public void close() {
        synchronized (state) {
            if (closed) {
                return;
            }
            closed = true;
            if (inFlight == 0) {
                Native.libc().close(fd);
            }
        }
    }

    private void begin(String operation) {
        synchronized (state) {
            if (closed) {
                throw closedError(operation);
            }
            inFlight++;
        }
    }

    private void end() {
        synchronized (state) {
            inFlight--;
            if (closed && inFlight == 0) {
                Native.libc().close(fd);
            }
        }
    }

    private boolean isClosed() {
        synchronized (state) {
            return closed;
        }
    }

    private static NetlinkException closedError(String operation) {
        return new NetlinkException(operation, Errno.EBADF, operation + ": socket closed", null);
    }

    private static byte[] sockaddr(int pid) {
        return ByteBuffer.allocate(SOCKADDR_NL_LENGTH).order(ByteOrder.nativeOrder())
                .putShort((short) Netlink.AF_NETLINK).putShort((short) 0).putInt(pid).putInt(0).array();
    }

    /** A socklen_t in/out argument. */
    private static byte[] socklen(int length) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(length).array();
    }

    private static boolean setInt(int fd, int level, int name, int value) {
        byte[] v = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
        return Native.libc().setsockopt(fd, level, name, v, 4) == 0;
    }

    private static int getInt(int fd, int name) {
        byte[] v = new byte[4];
        byte[] length = socklen(4);
        if (Native.libc().getsockopt(fd, Native.SOL_SOCKET, name, v, length) != 0) {
            throw NetlinkException.of("getsockopt", Native.errno());
        }
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt();
    }
}

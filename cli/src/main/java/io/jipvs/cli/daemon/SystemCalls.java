package io.jipvs.cli.daemon;

import io.jipvs.netlink.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The daemon's libc calls, in one binding (the netlink library has its own, internal one). Values
 * and layouts are those of LP64 Linux (x86-64, arm64), the platforms jipvs supports.
 */
final class SystemCalls {
    /** Bound without annotations (each would cost a proxy class); out-parameters are arrays. */
    public interface LibC {
        int socket(int domain, int type, int protocol);

        int bind(int fd, byte[] address, int length);

        int connect(int fd, byte[] address, int length);

        int listen(int fd, int backlog);

        int accept4(int fd, Pointer address, Pointer length, int flags);

        int shutdown(int fd, int how);

        int getsockopt(int fd, int level, int name, byte[] value, byte[] length);

        long recvmsg(int fd, Pointer message, int flags);

        long recv(int fd, byte[] buffer, long length, int flags);

        long send(int fd, byte[] buffer, long length, int flags);

        int poll(byte[] fds, long count, int timeoutMillis);

        int umask(int mask);

        int close(int fd);

        int isatty(int fd);
    }

    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_TYPE = 3;
    static final int SO_PEERCRED = 17;
    static final int SO_ACCEPTCONN = 30;
    static final int SO_DOMAIN = 39;
    static final int SO_PEERPIDFD = 77;
    static final int SHUT_RD = 0;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int POLLIN = 0x1;

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).option(LibraryOption.SaveError, true)
                .load("libc.so.6");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    private SystemCalls() {
    }

    static LibC libc() {
        return Holder.LIBC;
    }

    static Runtime runtime() {
        return Holder.RUNTIME;
    }

    static int errno() {
        return Holder.RUNTIME.getLastError();
    }

    static IOException error(String call) {
        return new IOException(call + ": errno " + errno());
    }

    /** A struct sockaddr_un for a filesystem path. */
    static byte[] unixAddress(String path) throws IOException {
        byte[] name = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (name.length >= 108) {
            throw new IOException("socket path too long: " + path);
        }
        byte[] address = new byte[110];
        address[0] = (byte) AF_UNIX; // sa_family_t, little-endian on the supported platforms
        System.arraycopy(name, 0, address, 2, name.length);
        return address;
    }

    /** An int socket option, or throws with its errno. */
    static int intOption(int fd, int name) throws IOException {
        byte[] value = new byte[4];
        byte[] length = nativeInt(4);
        if (libc().getsockopt(fd, SOL_SOCKET, name, value, length) != 0) {
            throw error("getsockopt " + name);
        }
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt();
    }

    static byte[] nativeInt(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    /**
     * Waits until {@code fd} has something to read (or its peer is gone), at most until
     * {@code deadline} (System.nanoTime); false when the time is up.
     */
    static boolean awaitReadable(int fd, long deadline) throws IOException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (pollIn(fd, (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)))) {
                return true;
            }
        }
    }

    /** Whether {@code fd} is readable right now (for a pidfd: its process has exited). */
    static boolean readableNow(int fd) throws IOException {
        return pollIn(fd, 0);
    }

    /** One poll(2) for POLLIN on {@code fd}, retried when interrupted: whether it is readable. */
    private static boolean pollIn(int fd, int timeoutMillis) throws IOException {
        byte[] pollfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(fd).putShort((short) POLLIN)
                .putShort((short) 0).array();
        int n;
        do {
            n = libc().poll(pollfd, 1, timeoutMillis);
        } while (n < 0 && errno() == Errno.EINTR);
        if (n < 0) {
            throw error("poll");
        }
        return n > 0;
    }

    /** Sends all of {@code bytes}; the peer being gone is an error, not SIGPIPE. */
    static void sendAll(int fd, byte[] bytes) throws IOException {
        int at = 0;
        while (at < bytes.length) {
            byte[] rest = at == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, at, bytes.length);
            long n = libc().send(fd, rest, rest.length, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno() == Errno.EINTR) {
                    continue;
                }
                throw error("send");
            }
            at += (int) n;
        }
    }
}

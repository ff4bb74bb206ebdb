package io.jipvs.cli.daemon;

import io.jipvs.netlink.Errno;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * The daemon's listening socket: {@value #DIRECTORY}/daemon-COOKIE.sock, where COOKIE is the
 * SO_NETNS_COOKIE of the daemon's network namespace (one daemon per namespace, and a namespace
 * created later never inherits the name), mode 0600 in a root-owned directory nobody else may
 * write to; or a socket systemd created and handed over (LISTEN_FDS). A filesystem socket, not
 * an abstract name: only root can reach it, so an unprivileged process can neither take the name
 * nor make root's clients wait on it.
 */
public final class Listener implements Closeable {
    /** Where the sockets live; jipvs-client looks only here. */
    public static final Path DIRECTORY = Path.of("/run/jipvs");
    /** The first descriptor systemd passes (SD_LISTEN_FDS_START). */
    private static final int SYSTEMD_FD = 3;
    private static final int BACKLOG = 64;

    /** How often a handed-over socket's accept looks whether the daemon is stopping. */
    private static final int STOP_POLL_MILLIS = 200;

    private final int fd;
    /** The path bound here (removed on close), or null for a socket handed over. */
    private final Path bound;
    private final Object boundInode;
    /** Set by {@link #stopAccepting} for a handed-over socket, which must not be shut down. */
    private volatile boolean stopped;

    private Listener(int fd, Path bound, Object boundInode) {
        this.fd = fd;
        this.bound = bound;
        this.boundInode = boundInode;
    }

    /** The socket of the namespace with this cookie. */
    static Path path(long cookie) {
        return DIRECTORY.resolve("daemon-" + Long.toUnsignedString(cookie) + ".sock");
    }

    /**
     * The listening socket.
     *
     * @return its descriptor
     */
    public int fd() {
        return fd;
    }

    /** What the log says it listens on. */
    String describe() {
        return bound != null ? bound.toString() : "the socket systemd passed (descriptor " + SYSTEMD_FD + ")";
    }

    /**
     * The socket systemd passed this process (LISTEN_PID is ours, LISTEN_FDS is 1), or null when
     * none was passed.
     *
     * @throws IOException when the variables say one was passed but it is not a listening stream
     *                     Unix socket
     */
    static Listener handedOver(Map<String, String> environment) throws IOException {
        String pid = environment.get("LISTEN_PID");
        if (pid == null || !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
            return null;
        }
        if (!"1".equals(environment.get("LISTEN_FDS"))) {
            throw new IOException("systemd passed " + environment.get("LISTEN_FDS") + " sockets; expected 1");
        }
        if (SystemCalls.intOption(SYSTEMD_FD, SystemCalls.SO_DOMAIN) != SystemCalls.AF_UNIX
                || SystemCalls.intOption(SYSTEMD_FD, SystemCalls.SO_TYPE) != SystemCalls.SOCK_STREAM
                || SystemCalls.intOption(SYSTEMD_FD, SystemCalls.SO_ACCEPTCONN) != 1) {
            throw new IOException("the socket systemd passed is not a listening Unix stream socket");
        }
        return new Listener(SYSTEMD_FD, null, null);
    }

    /**
     * Binds and listens on {@code path} in {@link #DIRECTORY}, creating the directory (0700) if
     * missing.
     *
     * @throws IOException when the directory is not a root-owned directory nobody else may write
     *                     to, when a daemon already answers there, or when binding fails
     */
    public static Listener bind(Path path) throws IOException {
        return bind(path, false);
    }

    /**
     * As {@link #bind(Path)}; {@code nonBlocking} for a socket an event loop accepts on (Netty's
     * epoll reads until the kernel says there is nothing more, which a blocking socket never says).
     *
     * @param path        where
     * @param nonBlocking whether the socket is O_NONBLOCK
     * @return the listener
     * @throws IOException as {@link #bind(Path)}
     */
    public static Listener bind(Path path, boolean nonBlocking) throws IOException {
        Path directory = path.getParent();
        checkDirectory(directory);
        int probe = connectable(path);
        if (probe == 0) {
            throw new IOException("a daemon already serves this network namespace (" + path + " answers)");
        }
        if (probe == Errno.ECONNREFUSED) {
            // A daemon that died without removing it: nobody listens, so the name is free.
            Files.deleteIfExists(path);
        } else if (probe != Errno.ENOENT) {
            throw new IOException("cannot tell whether a daemon serves " + path + " (errno " + probe + ")");
        }
        SystemCalls.LibC libc = SystemCalls.libc();
        int fd = libc.socket(SystemCalls.AF_UNIX, SystemCalls.SOCK_STREAM | SystemCalls.SOCK_CLOEXEC
                | (nonBlocking ? SystemCalls.SOCK_NONBLOCK : 0), 0);
        if (fd < 0) {
            throw SystemCalls.error("socket");
        }
        try {
            byte[] address = SystemCalls.unixAddress(path.toString());
            // The socket file is born 0600: no window in which it has looser bits to chmod away.
            int old = libc.umask(0177);
            int bound = libc.bind(fd, address, address.length);
            int errno = SystemCalls.errno();
            libc.umask(old);
            if (bound != 0) {
                throw new IOException("bind " + path + ": errno " + errno);
            }
            Object inode = Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            if (libc.listen(fd, BACKLOG) != 0) {
                throw SystemCalls.error("listen");
            }
            return new Listener(fd, path, inode);
        } catch (IOException | RuntimeException e) {
            libc.close(fd);
            throw e;
        }
    }

    /** A real directory (not a symlink), owned by root, writable by nobody else; created if missing. */
    static void checkDirectory(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Created meanwhile: checked below like any other.
            }
        }
        Map<String, Object> a = Files.readAttributes(directory, "unix:mode,uid,isDirectory,isSymbolicLink",
                LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        if (!(Boolean) a.get("isDirectory") || (Boolean) a.get("isSymbolicLink")) {
            throw new IOException(directory + " is not a directory");
        }
        if ((mode & 022) != 0) {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
            throw new IOException(directory + " is writable by others (" + PosixFilePermissions.toString(p) + ")");
        }
        if ((Integer) a.get("uid") != 0) {
            throw new IOException(directory + " is not owned by root");
        }
    }

    /** 0 when something accepts connections at {@code path}, else connect's errno. Never waits. */
    private static int connectable(Path path) throws IOException {
        SystemCalls.LibC libc = SystemCalls.libc();
        int fd = libc.socket(SystemCalls.AF_UNIX,
                SystemCalls.SOCK_STREAM | SystemCalls.SOCK_NONBLOCK | SystemCalls.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw SystemCalls.error("socket");
        }
        try {
            byte[] address = SystemCalls.unixAddress(path.toString());
            if (libc.connect(fd, address, address.length) == 0) {
                return 0;
            }
            int errno = SystemCalls.errno();
            // A full backlog: someone listens there, only busy.
            return errno == Errno.EAGAIN ? 0 : errno;
        } finally {
            libc.close(fd);
        }
    }

    /**
     * The next connection, as a blocking close-on-exec descriptor.
     *
     * @throws IOException when accept fails (EINVAL: the socket was shut down)
     */
    int accept() throws IOException {
        while (true) {
            if (bound == null) {
                // A handed-over socket is waited on in slices, so that a stopping daemon stops
                // accepting without shutting down the socket systemd still holds.
                if (stopped) {
                    throw new IOException("stopped accepting");
                }
                if (!SystemCalls.awaitReadable(fd, System.nanoTime() + STOP_POLL_MILLIS * 1_000_000L)) {
                    continue;
                }
            }
            int client = SystemCalls.libc().accept4(fd, null, null, SystemCalls.SOCK_CLOEXEC);
            if (client >= 0) {
                return client;
            }
            if (SystemCalls.errno() != Errno.EINTR) {
                throw SystemCalls.error("accept");
            }
        }
    }

    /**
     * Takes no new connection. A socket bound here is shut down for reading: connect() is refused
     * from now on, while the connections already queued are still accepted, and accept fails once
     * they are gone. A socket systemd handed over is left as it is: shutting it down would break it
     * for every later daemon systemd starts on it, and the connections queued on it are the next
     * daemon's; accept fails within {@value #STOP_POLL_MILLIS} ms.
     */
    void stopAccepting() {
        if (bound == null) {
            stopped = true;
        } else {
            SystemCalls.libc().shutdown(fd, SystemCalls.SHUT_RD);
        }
    }

    /** Closes the socket and removes its name, unless another daemon has bound that name since. */
    @Override
    public void close() throws IOException {
        SystemCalls.libc().close(fd);
        unlink();
    }

    /**
     * Removes the socket's name, unless another process has bound that name since; for a socket
     * whose descriptor another owner (Netty) closes.
     *
     * @throws IOException when the name cannot be removed
     */
    public void unlink() throws IOException {
        if (bound != null) {
            try {
                if (boundInode.equals(Files.getAttribute(bound, "unix:ino", LinkOption.NOFOLLOW_LINKS))) {
                    Files.delete(bound);
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // Removed already.
            }
        }
    }
}

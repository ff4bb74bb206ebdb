package io.jipvs.netlink;

import io.jipvs.netlink.internal.LibC;
import io.jipvs.netlink.internal.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Runs code inside another network namespace. A netlink socket belongs to the namespace it was
 * created in and keeps it for life, so "open in a netns" means: switch a thread into the netns,
 * create the socket there, and use it from any thread afterwards.
 */
public final class NetworkNamespace {
    private NetworkNamespace() {
    }

    /**
     * Calls {@code action} on a fresh platform thread that has joined the network namespace of
     * {@code netnsFile} (e.g. /run/netns/NAME or /proc/PID/ns/net). A dedicated thread is used
     * because setns changes only the calling OS thread, which must not be a pooled or carrier
     * thread that other code will later run on; the thread ends right after the call.
     *
     * @param <T>       what {@code action} returns
     * @param netnsFile the namespace file
     * @param action    what to run inside
     * @return what {@code action} returned
     * @throws NetlinkException if the namespace cannot be opened or entered
     */
    public static <T> T callIn(Path netnsFile, Callable<T> action) {
        return onThread(netnsFile.toString(), () -> enterAndCall(netnsFile, action));
    }

    /**
     * Like {@link #callIn(Path, Callable)}, for a namespace given as an open descriptor (from
     * {@link #ofSocket}, say): nothing is looked up by name, so nothing can be swapped under it.
     *
     * @param <T>     what {@code action} returns
     * @param netnsFd an open network namespace descriptor; stays open
     * @param action  what to run inside
     * @return what {@code action} returned
     * @throws NetlinkException if the namespace cannot be entered
     */
    public static <T> T callIn(int netnsFd, Callable<T> action) {
        return onThread("descriptor " + netnsFd, () -> {
            if (Native.libc().setns(netnsFd, Native.CLONE_NEWNET) != 0) {
                throw NetlinkException.of("setns", Native.errno());
            }
            return action.call();
        });
    }

    /**
     * Threads that join a network namespace before they run anything: for a pool whose every
     * socket and child process must live there (serve's checks, nft, hooks). Entering on the
     * thread's own start is safe because the thread never runs anything outside. A thread that
     * cannot enter ends without running its task, and the error is reported to its uncaught
     * exception handler.
     *
     * @param netnsFile the namespace file, or null for this process's namespace
     * @param name      the threads' name prefix
     * @return the factory; its threads are daemons
     */
    public static java.util.concurrent.ThreadFactory threadFactory(Path netnsFile, String name) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return task -> {
            Runnable body = netnsFile == null ? task : () -> {
                try {
                    enterAndCall(netnsFile, () -> null);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                task.run();
            };
            Thread t = new Thread(body, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Opens the network namespace a socket belongs to (ioctl SIOCGSKNS): for a socket passed in
     * from another process, the namespace it was created in, whatever that process called it.
     * Needs CAP_NET_ADMIN over that namespace.
     *
     * @param socketFd an open socket
     * @return a new close-on-exec descriptor of the namespace; the caller closes it
     * @throws NetlinkException if the kernel refuses
     */
    public static int ofSocket(int socketFd) {
        int fd = Native.libc().ioctl(socketFd, Native.SIOCGSKNS, 0);
        if (fd < 0) {
            throw NetlinkException.of("ioctl SIOCGSKNS", Native.errno());
        }
        return fd;
    }

    /** Runs {@code body} on a fresh platform thread (see {@link #callIn(Path, Callable)}) and waits for it. */
    private static <T> T onThread(String namespace, Callable<T> body) {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                result[0] = body.call();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "jipvs-netns");
        thread.setDaemon(true);
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                // The namespace thread cannot be abandoned half-way; finish waiting, then re-flag.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] instanceof RuntimeException re) {
            throw re;
        }
        if (failure[0] instanceof Error err) {
            throw err;
        }
        if (failure[0] != null) {
            throw new IllegalStateException("failed inside network namespace " + namespace, failure[0]);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /**
     * The cookie of the calling thread's network namespace (SO_NETNS_COOKIE, Linux 5.14+): a 64-bit
     * number the kernel never gives to another namespace while it runs, unlike the namespace file's
     * inode number, which a namespace created later may reuse. What names per-namespace files
     * (the daemon's socket, the helpers' state).
     *
     * @return the cookie
     * @throws NetlinkException if the kernel cannot tell it (before 5.14: ENOPROTOOPT)
     */
    public static long cookie() {
        LibC libc = Native.libc();
        int fd = libc.socket(Native.AF_UNIX, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw NetlinkException.of("socket", Native.errno());
        }
        try {
            return socketCookie(fd);
        } finally {
            libc.close(fd);
        }
    }

    /**
     * The cookie of the network namespace a socket belongs to (the one it was created in).
     *
     * @param socketFd an open socket descriptor
     * @return the cookie
     * @throws NetlinkException if the kernel cannot tell it
     */
    public static long socketCookie(int socketFd) {
        byte[] value = new byte[8];
        byte[] length = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(8).array();
        if (Native.libc().getsockopt(socketFd, Native.SOL_SOCKET, Native.SO_NETNS_COOKIE, value, length) != 0) {
            throw NetlinkException.of("getsockopt SO_NETNS_COOKIE", Native.errno());
        }
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong();
    }

    /**
     * The cookie of the network namespace of {@code netnsFile}.
     *
     * @param netnsFile the namespace file (/run/netns/NAME or /proc/PID/ns/net)
     * @return the cookie
     * @throws NetlinkException if the namespace cannot be entered or the kernel cannot tell it
     */
    public static long cookie(Path netnsFile) {
        return callIn(netnsFile, NetworkNamespace::cookie);
    }

    private static <T> T enterAndCall(Path netnsFile, Callable<T> action) throws Exception {
        LibC libc = Native.libc();
        String path = netnsFile.toString();
        int fd = libc.open(path, Native.O_RDONLY | Native.O_CLOEXEC);
        if (fd < 0) {
            throw NetlinkException.of("open " + path, Native.errno());
        }
        try {
            if (libc.setns(fd, Native.CLONE_NEWNET) != 0) {
                throw NetlinkException.of("setns " + path, Native.errno());
            }
        } finally {
            libc.close(fd);
        }
        return action.call();
    }
}

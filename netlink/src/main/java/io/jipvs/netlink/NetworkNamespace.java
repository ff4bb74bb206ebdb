package io.jipvs.netlink;

import io.jipvs.netlink.internal.LibC;
import io.jipvs.netlink.internal.Native;
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
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                result[0] = enterAndCall(netnsFile, action);
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
            throw new IllegalStateException("failed inside network namespace " + netnsFile, failure[0]);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
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

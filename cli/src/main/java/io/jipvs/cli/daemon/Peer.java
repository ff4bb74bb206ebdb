package io.jipvs.cli.daemon;

import io.jipvs.netlink.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who is calling: a check the daemon makes right after accept, before it reads a byte. It is
 * defence in depth only: what a command may do is decided by the kernel, which judges the netlink
 * socket the caller opened and passed (see {@link Wire}).
 *
 * @param pid the caller
 * @param why null when the caller may be served at all, else why not
 */
public record Peer(int pid, String why) {
    /** Capability bit in /proc/PID/status CapEff (linux/capability.h). */
    static final int CAP_NET_ADMIN = 12;

    /**
     * Root in the daemon's user namespace (capabilities of a child user namespace mean nothing
     * here) with CAP_NET_ADMIN in effect in every thread of its process (SO_PEERCRED names the
     * process, not the thread that connected). Where the kernel has SO_PEERPIDFD (Linux 6.5+),
     * the process is held by a pidfd while /proc is read, and must still be alive afterwards, so
     * that its PID cannot have been taken over by another process meanwhile; older kernels give
     * only the PID, and the check is as good as the PID is fresh.
     */
    public static Peer identify(int socket) {
        byte[] cred = new byte[12];
        if (SystemCalls.libc().getsockopt(socket, SystemCalls.SOL_SOCKET, SystemCalls.SO_PEERCRED, cred,
                SystemCalls.nativeInt(12)) != 0) {
            return new Peer(0, "no peer credentials (errno " + SystemCalls.errno() + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(cred).order(ByteOrder.nativeOrder());
        int pid = b.getInt(0);
        int uid = b.getInt(4);
        if (uid != 0 || pid <= 0) {
            return new Peer(pid, "not root");
        }
        byte[] pidfdValue = new byte[4];
        int pidfd = -1;
        if (SystemCalls.libc().getsockopt(socket, SystemCalls.SOL_SOCKET, SystemCalls.SO_PEERPIDFD, pidfdValue,
                SystemCalls.nativeInt(4)) == 0) {
            pidfd = ByteBuffer.wrap(pidfdValue).order(ByteOrder.nativeOrder()).getInt();
        } else if (SystemCalls.errno() != Errno.ENOPROTOOPT) {
            return new Peer(pid, "no peer pidfd (errno " + SystemCalls.errno() + ")");
        }
        try {
            String why = judge(pid);
            if (why == null && pidfd >= 0 && SystemCalls.readableNow(pidfd)) {
                why = "exited while being checked";
            }
            return new Peer(pid, why);
        } catch (IOException | RuntimeException e) {
            return new Peer(pid, "unreadable /proc entry (" + e.getMessage() + ")");
        } finally {
            if (pidfd >= 0) {
                SystemCalls.libc().close(pidfd);
            }
        }
    }

    private static String judge(int pid) throws IOException {
        Path proc = Path.of("/proc", Integer.toString(pid));
        if (!Files.readSymbolicLink(proc.resolve("ns/user")).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/user")))) {
            return "in another user namespace";
        }
        int threads = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
            for (Path task : tasks) {
                String status;
                try {
                    status = Files.readString(task.resolve("status"));
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // a thread that ended meanwhile
                }
                threads++;
                if (!hasCapability(status, CAP_NET_ADMIN)) {
                    return "no CAP_NET_ADMIN in effect";
                }
            }
        }
        return threads == 0 ? "exited while being checked" : null;
    }

    /** Reads the CapEff line of a /proc/PID/status text. */
    static boolean hasCapability(String status, int capability) {
        for (String line : status.split("\n")) {
            if (line.startsWith("CapEff:")) {
                long bits = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                return (bits >>> capability & 1) != 0;
            }
        }
        return false;
    }
}

package io.jipvs.cli.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who is calling, as far as the daemon needs to know: an abstract socket has no file
 * permissions, so the daemon looks at each peer's credentials (SO_PEERCRED) and /proc entry,
 * right after accept, before it reads anything from it.
 *
 * @param pid the caller
 * @param why null when the caller may be served at all, else why not
 * @param sysAdmin whether CAP_SYS_ADMIN is in effect (what entering another network namespace takes)
 */
record Peer(int pid, String why, boolean sysAdmin) {
    /** Capability bits in /proc/PID/status CapEff (linux/capability.h). */
    static final int CAP_NET_ADMIN = 12;
    static final int CAP_SYS_ADMIN = 21;

    /**
     * The kernel's own requirement for changing IPVS, seen from the daemon: root, in the daemon's
     * user namespace (capabilities of a child user namespace mean nothing here), with
     * CAP_NET_ADMIN in effect. A process that dropped its capabilities must not regain them
     * through the daemon. Everyone else is declined and runs on the JVM path, where the kernel
     * answers for itself. The mount namespace may differ: `ip netns exec` gives every command a
     * new one (for /sys), and shares /run/netns, the only place --netns is served from.
     */
    static Peer identify(int uid, int pid) {
        if (uid != 0 || pid <= 0) {
            return new Peer(pid, "not root", false);
        }
        try {
            Path proc = Path.of("/proc", Integer.toString(pid));
            if (!Files.readSymbolicLink(proc.resolve("ns/user")).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/user")))) {
                return new Peer(pid, "in another user namespace", false);
            }
            String status = Files.readString(proc.resolve("status"));
            if (!hasCapability(status, CAP_NET_ADMIN)) {
                return new Peer(pid, "no CAP_NET_ADMIN in effect", false);
            }
            return new Peer(pid, null, hasCapability(status, CAP_SYS_ADMIN));
        } catch (IOException | RuntimeException e) {
            return new Peer(pid, "unreadable /proc entry (" + e.getMessage() + ")", false);
        }
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

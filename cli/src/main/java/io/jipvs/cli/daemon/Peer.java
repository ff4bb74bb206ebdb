package io.jipvs.cli.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who may have the daemon run a command: what the kernel asks of a process that changes IPVS
 * itself. An abstract socket has no file permissions, so the daemon checks each peer's
 * credentials (SO_PEERCRED) and its effective capabilities instead.
 */
final class Peer {
    /** CAP_NET_ADMIN's bit in /proc/PID/status CapEff (linux/capability.h). */
    static final int CAP_NET_ADMIN = 12;

    private Peer() {
    }

    /**
     * Root with CAP_NET_ADMIN in effect. Root alone is not enough: a process that dropped its
     * capabilities would otherwise regain them through the daemon. Anyone else is declined and
     * runs on the JVM path, where the kernel gives its own answer.
     */
    static boolean mayUse(int uid, int pid) {
        if (uid != 0 || pid <= 0) {
            return false;
        }
        try {
            return hasCapability(Files.readString(Path.of("/proc", Integer.toString(pid), "status")), CAP_NET_ADMIN);
        } catch (IOException e) {
            return false;
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

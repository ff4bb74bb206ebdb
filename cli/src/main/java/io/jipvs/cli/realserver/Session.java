package io.jipvs.cli.realserver;

import io.jipvs.control.fullnat.NftException;
import io.jipvs.control.host.Applier;
import io.jipvs.control.host.KernelHost;
import io.jipvs.control.host.PlanException;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.sysctl.SysctlException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.IntSupplier;

/**
 * Runs a helper command's body in the right place (the caller's namespace, or a thread that has
 * joined --netns) and turns every failure into one line on stderr and an exit code:
 * 0 done, 1 failed (nothing left half-done), 2 bad usage.
 */
final class Session {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    /** The effective uid; replaceable so tests can play an unprivileged user. */
    static IntSupplier effectiveUid = Session::effectiveUidFromProc;

    interface Body {
        int run(KernelHost host, Path stateDir);
    }

    private Session() {
    }

    static int run(String command, HostOptions where, boolean changesHost, PrintWriter err, Body body) {
        if (changesHost) {
            int uid = effectiveUid.getAsInt();
            if (uid != 0) {
                err.println(command + ": must be run as root: it changes addresses, links and /proc/sys"
                        + " (effective uid " + uid + "); --dry-run shows the steps without root");
                return FAILED;
            }
        }
        try {
            Path netns = where.netnsFile();
            if (netns == null) {
                return inNamespace(where, body);
            }
            if (!Files.exists(netns)) {
                err.println(command + ": no network namespace " + netns);
                return FAILED;
            }
            return NetworkNamespace.callIn(netns, () -> inNamespace(where, body));
        } catch (PlanException e) {
            err.println(command + ": " + e.getMessage() + " (nothing was changed)");
            return FAILED;
        } catch (Applier.ApplyException | NetlinkException | SysctlException | NftException | UncheckedIOException e) {
            err.println(command + ": " + e.getMessage());
            return FAILED;
        }
    }

    private static int inNamespace(HostOptions where, Body body) {
        try (KernelHost host = KernelHost.open()) {
            return body.run(host, where.stateDir);
        }
    }

    private static int effectiveUidFromProc() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).strip().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Unknown: let the kernel decide, it will refuse with EPERM if need be.
        }
        return 0;
    }
}

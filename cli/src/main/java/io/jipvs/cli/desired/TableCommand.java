package io.jipvs.cli.desired;

import io.jipvs.cli.DaemonServed;
import io.jipvs.cli.Jipvs;
import io.jipvs.cli.NetnsOption;
import io.jipvs.cli.PrintingCommand;
import io.jipvs.cli.ipvsadm.IpvsadmErrors;
import io.jipvs.control.fullnat.NftException;
import io.jipvs.control.host.PlanException;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.ipvs.Ipvs;
import io.jipvs.netlink.ipvs.IpvsClient;
import io.jipvs.netlink.ipvs.IpvsException;
import io.jipvs.netlink.sysctl.SysctlException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * What export, diff and apply share: where they act (--netns, --state-dir), the IPVS table (the
 * caller's own, or the daemon's handle on the caller's socket), and their failure reporting.
 */
public abstract class TableCommand extends PrintingCommand implements DaemonServed {
    protected static final int OK = 0;
    protected static final int FAILED = 1;
    protected static final int USAGE = 2;

    @Option(names = "--netns", paramLabel = "NAME",
            description = "Work on the IPVS table of this network namespace (/run/netns/NAME, or a path).")
    String netns;

    /** Set when the resident daemon runs this command on the caller's socket. */
    private Jipvs.Table served;

    protected interface Body {
        int run(Ipvs ipvs, PrintWriter out, PrintWriter err) throws Exception;
    }

    /** As {@link #inTable(PrintWriter, PrintWriter, int, Body)} with failures exiting 1. */
    protected final int inTable(PrintWriter out, PrintWriter err, Body body) {
        return inTable(out, err, FAILED, body);
    }

    /**
     * Runs {@code body} in the command's namespace with its table open; kernel failures are
     * reported in ipvsadm's words and exit {@code failed}.
     */
    protected final int inTable(PrintWriter out, PrintWriter err, int failed, Body body) {
        String name = name();
        try {
            Path ns = netns == null ? null : NetnsOption.path(netns);
            if (ns != null && !Files.exists(ns)) {
                err.println(name + ": no network namespace " + ns);
                return USAGE;
            }
            Callable<Integer> run = () -> {
                try (Ipvs ipvs = served != null ? served.open().get() : IpvsClient.open()) {
                    return body.run(ipvs, out, err);
                }
            };
            return ns == null ? run.call() : NetworkNamespace.callIn(ns, run);
        } catch (IpvsException e) {
            err.println(name + ": " + IpvsadmErrors.text(e));
            return failed;
        } catch (PlanException | NetlinkException | SysctlException | NftException | UncheckedIOException e) {
            err.println(name + ": " + e.getMessage());
            return failed;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            err.println(name + ": " + e);
            return failed;
        }
    }

    /**
     * The daemon runs these only in its own namespace: the caller enters another one itself,
     * with its own rights. Subclasses add their own rules.
     */
    @Override
    public String declines(boolean stdinTerminal) {
        return netns != null ? "--netns (the caller enters namespaces itself)" : null;
    }

    @Override
    public void serveOn(Jipvs.Table table) {
        this.served = table;
    }

    final boolean servedByDaemon() {
        return served != null;
    }
}

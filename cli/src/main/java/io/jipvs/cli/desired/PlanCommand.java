package io.jipvs.cli.desired;

import io.jipvs.cli.ReadsInput;
import io.jipvs.control.config.ConfigError;
import io.jipvs.control.config.ConfigException;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.host.StateStore;
import io.jipvs.control.fullnat.Nft;
import io.jipvs.control.reconcile.ActualState;
import io.jipvs.control.reconcile.Prune;
import io.jipvs.control.reconcile.Reconciler;
import io.jipvs.netlink.ipvs.Ipvs;
import io.jipvs.netlink.sysctl.Sysctl;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine.Option;

/** What diff and apply share: the file, its format, the prune mode, and the kernel dump they plan from. */
abstract class PlanCommand extends TableCommand implements ReadsInput {
    /** The ownership record's role in the state directory: {@code apply-COOKIE.state}. */
    static final String ROLE = "apply";

    /** Where the ownership record lives unless told otherwise. */
    static final Path DEFAULT_STATE_DIR = StateStore.DEFAULT_DIR;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/run/jipvs",
            description = "Where jipvs records what it created (default: ${DEFAULT-VALUE}): a root-owned directory"
                    + " nobody else can write, created 0700 if missing.")
    Path stateDir;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "The desired state: YAML, JSON or an ipvsadm rules file (ipvsadm -S); - reads standard input.")
    String file;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "yaml, json, ipvsadm or keepalived (default: detected from the content).")
    String format;

    @Option(names = "--prune", paramLabel = "MODE", defaultValue = "owned",
            description = "What may be deleted: owned (what jipvs created and the file no longer has; default),"
                    + " all (everything the file does not have), none (nothing).")
    String prune;

    private InputStream in = System.in;

    @Override
    public void input(InputStream stream) {
        this.in = stream;
    }

    /** Reads the file and the options whole before anything else; a bad one exits 2. */
    @Override
    protected final int execute(PrintWriter out, PrintWriter err) {
        DesiredState desired = desired(err);
        Prune mode = pruneMode(err);
        if (desired == null || mode == null) {
            return USAGE;
        }
        return act(desired, mode, out, err);
    }

    /**
     * The command's work on a valid file.
     *
     * @return the exit status
     */
    abstract int act(DesiredState desired, Prune mode, PrintWriter out, PrintWriter err);

    /** The file, or null after printing every error. */
    private DesiredState desired(PrintWriter err) {
        if (format != null && !format.matches("yaml|json|ipvsadm|keepalived")) {
            err.println(spec.name() + ": --format must be yaml, json, ipvsadm or keepalived");
            return null;
        }
        try {
            return DesiredFile.read(file, format, in, spec.root().name(), err);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            return null;
        }
    }

    /** The prune mode, or null after an error. */
    private Prune pruneMode(PrintWriter err) {
        return switch (prune) {
            case "owned" -> Prune.OWNED;
            case "all" -> Prune.ALL;
            case "none" -> Prune.NONE;
            default -> {
                err.println(spec.name() + ": --prune must be owned, all or none");
                yield null;
            }
        };
    }

    /** The kernel dump, jipvs's source NAT table and the sysctls the file needs. */
    static ActualState actual(Ipvs ipvs, DesiredState desired) {
        return new Reconciler(ipvs).actual(desired);
    }

    /** The namespace's key for the ownership record. */
    static String namespaceKey() {
        return StateStore.namespaceKey();
    }

    /**
     * The daemon runs these with the default state directory only (a caller must not steer where
     * root writes), reads the file from standard input only (root opens no path for a caller),
     * and never from a terminal (an interrupted caller would leave the daemon reading it).
     */
    @Override
    public String declines(boolean stdinTerminal) {
        String why = super.declines(stdinTerminal);
        if (why != null) {
            return why;
        }
        if (!stateDir.equals(DEFAULT_STATE_DIR)) {
            return "--state-dir";
        }
        if (!file.equals("-")) {
            return "-f with a path (the caller opens its own files)";
        }
        return stdinTerminal ? "-f - from a terminal" : null;
    }
}

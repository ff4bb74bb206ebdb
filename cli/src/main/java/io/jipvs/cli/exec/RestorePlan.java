package io.jipvs.cli.exec;

import io.jipvs.cli.ipvsadm.CommandKind;
import io.jipvs.cli.ipvsadm.Invocation;
import io.jipvs.cli.ipvsadm.IpvsadmErrors;
import io.jipvs.cli.ipvsadm.IpvsadmParser;
import io.jipvs.cli.ipvsadm.OptionKind;
import io.jipvs.cli.ipvsadm.UsageException;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Destination;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import io.jipvs.model.Timeouts;
import io.jipvs.model.TunnelChecksum;
import io.jipvs.model.TunnelType;
import io.jipvs.netlink.ipvs.IpvsException;
import io.jipvs.netlink.ipvs.IpvsMutation;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * -R planned ahead, so that its changes can go to the kernel in batches. Every input line is
 * parsed and validated first (nothing here touches the kernel) and becomes a {@link Step}: a
 * change, a rejection to print, or a line that must run on its own against the kernel as it is
 * at that point (listings, -h, -v). Parsing stops at the first line that would end ipvsadm's
 * restore: later lines are never run, so they are never parsed either.
 *
 * <p>Why batching cannot be observed: ipvsadm's per-line changes and its rejections do not
 * depend on one another (a rejected line changes nothing, and no parse reads the kernel), and
 * the kernel runs a datagram's requests in order, each as if sent alone. So applying every change
 * up to the next line that reads, then printing every line's message in line order, gives
 * ipvsadm's state, text and exit status.
 */
final class RestorePlan {
    private RestorePlan() {
    }

    /** One non-blank input line, numbered from 1. */
    sealed interface Step {
        int line();
    }

    /** A change, to be applied with the changes around it. */
    record Change(int line, IpvsMutation mutation) implements Step {
    }

    /** A line ipvsadm rejects: its message and status; {@code abort} ends the restore there. */
    record Rejected(int line, String message, int status, boolean abort) implements Step {
    }

    /** A line that reads the kernel or prints (listings, save, -h, -v): runs alone, in turn. */
    record Direct(int line, Invocation invocation) implements Step {
    }

    /**
     * Splits -R input into command lines as ipvsadm's config_stream_read does: tokens separated by
     * space, tab, CR or LF, every "ipvsadm" token dropped, lines left without tokens skipped.
     * Hand-written rather than a regex (java.util.regex is a noticeable share of start-up), over
     * the raw bytes, a line per call: a cold JVM interprets this, and one loop over the whole input
     * would never get compiled, while a method called once per line soon is.
     *
     * @return one token list per line, with its line number at the same index of {@code numbers}
     */
    static List<List<String>> lines(byte[] input, List<Integer> numbers) {
        List<List<String>> lines = new ArrayList<>();
        int lineNo = 1;
        for (int from = 0; from < input.length; lineNo++) {
            int end = lineEnd(input, from);
            List<String> tokens = tokens(input, from, end);
            if (!tokens.isEmpty()) {
                lines.add(tokens);
                numbers.add(lineNo);
            }
            from = end + 1;
        }
        return lines;
    }

    /** Where the line starting at {@code from} ends: its LF, or the end of the input. */
    private static int lineEnd(byte[] input, int from) {
        int i = from;
        while (i < input.length && input[i] != '\n') {
            i++;
        }
        return i;
    }

    private static List<String> tokens(byte[] input, int from, int end) {
        List<String> tokens = new ArrayList<>();
        // ipvsadm scans each line as a C string: nothing after a NUL byte is read.
        for (int i = from; i < end; i++) {
            if (input[i] == 0) {
                end = i;
                break;
            }
        }
        int start = -1;
        for (int i = from; i <= end; i++) {
            byte c = i < end ? input[i] : (byte) ' ';
            if (c != ' ' && c != '\t' && c != '\r') {
                if (start < 0) {
                    start = i;
                }
            } else if (start >= 0) {
                String token = new String(input, start, i - start, StandardCharsets.ISO_8859_1);
                if (!token.equals("ipvsadm")) {
                    tokens.add(token);
                }
                start = -1;
            }
        }
        return tokens;
    }

    /** Plans the whole input; the last step is the first aborting one, if any. */
    static List<Step> plan(byte[] input, IpvsadmParser parser) {
        List<Integer> numbers = new ArrayList<>();
        List<List<String>> lines = lines(input, numbers);
        List<Step> steps = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            Step step = step(numbers.get(i), lines.get(i), parser);
            steps.add(step);
            if (step instanceof Rejected r && r.abort()) {
                break;
            }
        }
        return steps;
    }

    private static Step step(int line, List<String> tokens, IpvsadmParser parser) {
        Invocation inv;
        try {
            inv = parser.parse(tokens);
            if (inv.command() == CommandKind.RESTORE) {
                throw parser.tryHelp(); // no -R inside -R
            }
        } catch (UsageException e) {
            return new Rejected(line, e.getMessage(), e.exitCode(), e.kind() != UsageException.Kind.POPT);
        }
        return switch (inv.command()) {
            case HELP, VERSION, LIST, SAVE -> new Direct(line, inv);
            default -> new Change(line, mutation(inv));
        };
    }

    /**
     * Prints, in line order, what a run of changes and rejections (no {@link Direct} among them)
     * says, given the results of its changes in the same order (null: applied). Kernel errors
     * print ipvsadm's text and give 255; the restore goes on after them.
     *
     * @param status the status so far, kept if {@code steps} is empty
     * @return the status of the last step, and whether it ended the restore
     */
    static Executor.Outcome report(List<Step> steps, List<IpvsException> errors, int status, PrintStream err) {
        int change = 0;
        for (Step s : steps) {
            if (s instanceof Change) {
                IpvsException e = errors.get(change++);
                if (e == null) {
                    status = 0;
                } else {
                    err.println(IpvsadmErrors.text(e));
                    status = 255;
                }
            } else if (s instanceof Rejected r) {
                err.println(r.message());
                status = r.status();
                if (r.abort()) {
                    return new Executor.Outcome(status, true);
                }
            } else {
                throw new IllegalArgumentException("not batchable: " + s);
            }
        }
        return new Executor.Outcome(status, false);
    }

    // ---------------------------------------------------------------- invocation → change

    /** The kernel change a parsed change command makes (as ipvsadm's process_options). */
    static IpvsMutation mutation(Invocation inv) {
        return switch (inv.command()) {
            case ADD_SERVICE -> new IpvsMutation.AddService(service(inv));
            case EDIT_SERVICE -> new IpvsMutation.UpdateService(service(inv));
            case DELETE_SERVICE -> new IpvsMutation.DeleteService(key(inv));
            case FLUSH -> new IpvsMutation.Flush();
            case ADD_SERVER -> new IpvsMutation.AddDestination(key(inv), destination(inv));
            case EDIT_SERVER -> new IpvsMutation.UpdateDestination(key(inv), destination(inv));
            case DELETE_SERVER -> new IpvsMutation.DeleteDestination(key(inv), inv.destinationAddress(),
                    inv.destinationPort());
            case ZERO -> new IpvsMutation.Zero(inv.has(OptionKind.SERVICE) && !unspecified(inv) ? key(inv) : null);
            case SET -> {
                int[] t = inv.timeouts();
                yield new IpvsMutation.SetTimeouts(new Timeouts(t[0], t[1], t[2]));
            }
            case START_DAEMON -> new IpvsMutation.StartDaemon(new SyncDaemon(
                    inv.daemonBackup() ? SyncState.BACKUP : SyncState.MASTER, inv.interfaceName(), inv.syncId(),
                    inv.syncMaxLength(), inv.mcastGroup(), inv.mcastPort(), inv.mcastTtl()));
            case STOP_DAEMON -> new IpvsMutation.StopDaemon(inv.daemonBackup() ? SyncState.BACKUP : SyncState.MASTER);
            default -> throw new IllegalStateException("not a change: " + inv.command());
        };
    }

    /** libipvs sends no service with -Z when fwmark, address and port are all zero: zero all. */
    private static boolean unspecified(Invocation inv) {
        if (inv.fwmark() != 0 || inv.servicePort() != 0) {
            return false;
        }
        for (byte b : inv.serviceAddress().getAddress()) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    static ServiceKey key(Invocation inv) {
        AddressFamily family = inv.serviceFamily() == Invocation.AF_INET6 ? AddressFamily.INET6 : AddressFamily.INET;
        if (inv.fwmark() != 0) {
            return ServiceKey.ofFwmark(family, inv.fwmark());
        }
        Protocol protocol = Protocol.ofNumber(inv.protocol()).orElseThrow();
        return new ServiceKey(family, protocol, inv.serviceAddress(), inv.servicePort(), 0);
    }

    static Service service(Invocation inv) {
        EnumSet<ServiceFlag> flags = EnumSet.noneOf(ServiceFlag.class);
        flags.addAll(ServiceFlag.fromBits(inv.flags()));
        return new Service(key(inv), inv.scheduler(), flags, inv.persistenceTimeout(), inv.netmask(),
                inv.persistenceEngine().isEmpty() ? null : inv.persistenceEngine());
    }

    static Destination destination(Invocation inv) {
        return new Destination(inv.destinationAddress(), inv.destinationPort(),
                ForwardingMethod.ofCode(inv.forwarding()).orElseThrow(), inv.weight(), inv.upperThreshold(),
                inv.lowerThreshold(), TunnelType.ofCode(inv.tunnelType()).orElseThrow(), inv.tunnelPort(),
                TunnelChecksum.ofFlags(inv.tunnelFlags()).orElseThrow());
    }
}

package io.jipvs.cli.exec;

import io.jipvs.cli.format.ConnectionFormatter;
import io.jipvs.cli.format.IpvsadmOrder;
import io.jipvs.cli.format.JsonFormatter;
import io.jipvs.cli.format.ListFormatter;
import io.jipvs.cli.format.ListMode;
import io.jipvs.cli.format.Names;
import io.jipvs.cli.format.SaveFormatter;
import io.jipvs.cli.format.ServiceView;
import io.jipvs.cli.ipvsadm.CommandKind;
import io.jipvs.cli.ipvsadm.Invocation;
import io.jipvs.cli.ipvsadm.IpvsadmErrors;
import io.jipvs.cli.ipvsadm.IpvsadmParser;
import io.jipvs.cli.ipvsadm.OptionKind;
import io.jipvs.cli.ipvsadm.Usage;
import io.jipvs.cli.ipvsadm.UsageException;
import io.jipvs.cli.names.Resolver;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.IpvsInfo;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.Timeouts;
import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.ipvs.IpvsClient;
import io.jipvs.netlink.ipvs.IpvsException;
import io.jipvs.netlink.ipvs.IpvsMutation;
import io.jipvs.netlink.ipvs.IpvsOperation;
import io.jipvs.netlink.ipvs.IpvsResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs parsed ipvsadm command lines against one IPVS client: the execution half of ipvsadm's
 * process_options, plus -R's line loop. Holds no state beyond the streams and the client of
 * one jipvs run.
 */
public final class Executor {
    /** What a command line ended with, and whether a -R in progress must stop there. */
    record Outcome(int status, boolean abort) {
    }

    private final IpvsClient client;
    private final Path netnsFile;
    private final String program;
    private final Resolver resolver;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    public Executor(IpvsClient client, Path netnsFile, String program, Resolver resolver, InputStream in,
                    PrintStream out, PrintStream err) {
        this.client = client;
        this.netnsFile = netnsFile;
        this.program = program;
        this.resolver = resolver;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** One command line (without the program name); returns the exit status. */
    public int execute(List<String> args) {
        return run(args).status;
    }

    private Outcome run(List<String> args) {
        Invocation inv;
        try {
            inv = new IpvsadmParser(program, resolver).parse(args);
        } catch (UsageException e) {
            err.println(e.getMessage());
            return new Outcome(e.exitCode(), e.kind() != UsageException.Kind.POPT);
        }
        return perform(inv);
    }

    /** Runs a parsed command line against the kernel. */
    private Outcome perform(Invocation inv) {
        try {
            return switch (inv.command()) {
                case HELP -> print(Usage.help(program));
                case VERSION -> print(Usage.VERSION);
                case LIST -> list(inv);
                case SAVE -> save(inv);
                case RESTORE -> restore();
                default -> {
                    client.apply(RestorePlan.mutation(inv));
                    yield new Outcome(0, false);
                }
            };
        } catch (IpvsException e) {
            err.println(IpvsadmErrors.text(e));
            boolean listing = inv.command() == CommandKind.LIST || inv.command() == CommandKind.SAVE;
            return new Outcome(listing ? 1 : 255, listing);
        }
    }

    /**
     * Standard output, as bytes: PrintStream's text path (inflating each string to chars, then a
     * charset encoder loop) costs a cold JVM more than formatting the listing did.
     */
    private void emit(CharSequence text) {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
    }

    private Outcome print(String text) {
        emit(text);
        // ipvsadm exits from inside -h/-v, ending a restore in progress.
        return new Outcome(0, true);
    }

    // ------------------------------------------------------------------ listings

    private Outcome list(Invocation inv) {
        Names names = new Names(resolver, inv.has(OptionKind.NUMERIC));
        if (inv.has(OptionKind.CONNECTION)) {
            return connections(inv, names);
        }
        if (inv.has(OptionKind.TIMEOUT)) {
            Timeouts t;
            try {
                t = client.timeouts();
            } catch (IpvsException e) {
                return new Outcome(1, true); // ipvsadm says nothing here
            }
            emit(inv.json() ? JsonFormatter.timeouts(t) : ListFormatter.timeouts(t));
            return new Outcome(0, false);
        }
        if (inv.has(OptionKind.DAEMON)) {
            List<SyncDaemon> daemons;
            try {
                daemons = client.daemons();
            } catch (IpvsException e) {
                return new Outcome(1, true);
            }
            emit(inv.json() ? JsonFormatter.daemons(daemons) : ListFormatter.daemons(daemons));
            return new Outcome(0, false);
        }
        boolean sort = !inv.has(OptionKind.NOSORT);
        if (inv.has(OptionKind.SERVICE)) {
            ServiceEntry entry = client.service(RestorePlan.key(inv)).orElse(null);
            if (entry == null) {
                err.println(IpvsadmErrors.describe(IpvsOperation.GET_SERVICE, Errno.ESRCH));
                return new Outcome(1, true);
            }
            List<ServiceView> views = List.of(view(entry, sort));
            emit(inv.json() ? JsonFormatter.services(null, views)
                    : ListFormatter.format(null, views, mode(inv), inv.has(OptionKind.EXACT), names));
            return new Outcome(0, false);
        }
        IpvsInfo info = client.info();
        if (inv.json()) {
            emit(JsonFormatter.services(info, table(sort)));
            return new Outcome(0, false);
        }
        // As ipvsadm's list_all: header, services, title, then each service as its destinations
        // arrive, so a large table never sits in memory as text.
        emit(ListFormatter.header(info));
        List<ServiceEntry> services = services(sort);
        ListMode mode = mode(inv);
        emit(ListFormatter.title(mode));
        boolean exact = inv.has(OptionKind.EXACT);
        StringBuilder sb = new StringBuilder(1024);
        for (ServiceEntry s : services) {
            sb.setLength(0);
            ListFormatter.service(sb, view(s, sort), mode, exact, names);
            emit(sb);
        }
        return new Outcome(0, false);
    }

    private static ListMode mode(Invocation inv) {
        if (inv.has(OptionKind.STATS)) {
            return ListMode.STATS;
        }
        if (inv.has(OptionKind.RATE)) {
            return ListMode.RATE;
        }
        if (inv.has(OptionKind.THRESHOLDS)) {
            return ListMode.THRESHOLDS;
        }
        if (inv.has(OptionKind.PERSISTENT_CONN)) {
            return ListMode.PERSISTENT_CONN;
        }
        if (inv.has(OptionKind.TUN_INFO)) {
            return ListMode.TUN_INFO;
        }
        return ListMode.PLAIN;
    }

    /** Every service, in ipvsadm's order unless {@code sort} is false. */
    private List<ServiceEntry> services(boolean sort) {
        List<ServiceEntry> services = client.services();
        return sort ? IpvsadmOrder.sort(services, SERVICE_ORDER) : services;
    }

    private static final Comparator<ServiceEntry> SERVICE_ORDER = new Comparator<>() {
        @Override
        public int compare(ServiceEntry a, ServiceEntry b) {
            return IpvsadmOrder.SERVICES.compare(a.key(), b.key());
        }
    };

    private List<ServiceView> table(boolean sort) {
        List<ServiceEntry> services = services(sort);
        List<ServiceView> views = new ArrayList<>(services.size());
        for (ServiceEntry s : services) {
            views.add(view(s, sort));
        }
        return views;
    }

    private ServiceView view(ServiceEntry entry, boolean sort) {
        List<DestinationEntry> dests = client.destinations(entry.key());
        return new ServiceView(entry, sort ? IpvsadmOrder.sort(dests, IpvsadmOrder.DESTINATIONS) : dests);
    }

    private Outcome save(Invocation inv) {
        if (inv.json()) {
            emit(JsonFormatter.services(null, table(true)));
            return new Outcome(0, false);
        }
        Names names = new Names(resolver, inv.has(OptionKind.NUMERIC));
        StringBuilder sb = new StringBuilder(1024);
        for (ServiceEntry s : services(true)) {
            sb.setLength(0);
            SaveFormatter.service(sb, view(s, true), names);
            emit(sb);
        }
        return new Outcome(0, false);
    }

    private Outcome connections(Invocation inv, Names names) {
        List<String> lines;
        try {
            lines = readConnections();
        } catch (IOException | RuntimeException e) {
            err.println("cannot open file /proc/net/ip_vs_conn");
            return new Outcome(1, true);
        }
        if (lines.isEmpty()) {
            err.println("unexpected input from /proc/net/ip_vs_conn");
            return new Outcome(1, true);
        }
        List<String> entries = lines.subList(1, lines.size());
        emit(inv.json() ? JsonFormatter.connections(entries)
                : ConnectionFormatter.format(entries, inv.has(OptionKind.PERSISTENT_CONN), names));
        return new Outcome(0, false);
    }

    /** The connection table of this run's namespace: /proc/thread-self/net follows a setns'd thread. */
    private List<String> readConnections() throws IOException {
        if (netnsFile == null) {
            return Files.readAllLines(Path.of("/proc/net/ip_vs_conn"), StandardCharsets.ISO_8859_1);
        }
        return NetworkNamespace.callIn(netnsFile,
                () -> Files.readAllLines(Path.of("/proc/thread-self/net/ip_vs_conn"), StandardCharsets.ISO_8859_1));
    }

    // ------------------------------------------------------------------ restore

    /**
     * -R: every stdin line is a command line (see {@link RestorePlan}). Validation failures stop
     * the restore with their status; popt and kernel errors are reported and the next line runs;
     * the status is the last line's. Changes go to the kernel in batches, each ending where a
     * line must see the kernel's state (a listing) or the restore stops; then the batch's
     * messages are printed in line order.
     */
    private Outcome restore() {
        byte[] input;
        try {
            input = in.readAllBytes();
        } catch (IOException e) {
            return new Outcome(0, false);
        }
        List<RestorePlan.Step> steps = RestorePlan.plan(input, new IpvsadmParser(program, resolver));
        int status = 0;
        List<RestorePlan.Step> pending = new ArrayList<>();
        for (RestorePlan.Step step : steps) {
            if (step instanceof RestorePlan.Direct d) {
                Outcome o = flush(pending, status);
                if (o.abort) {
                    return o;
                }
                o = perform(d.invocation());
                if (o.abort) {
                    return o;
                }
                status = o.status;
            } else {
                pending.add(step);
            }
        }
        return flush(pending, status);
    }

    /** Applies the pending changes as one batch, then prints what each pending line says. */
    private Outcome flush(List<RestorePlan.Step> pending, int status) {
        List<IpvsMutation> mutations = new ArrayList<>();
        for (RestorePlan.Step s : pending) {
            if (s instanceof RestorePlan.Change c) {
                mutations.add(c.mutation());
            }
        }
        List<IpvsException> errors = new ArrayList<>(mutations.size());
        if (!mutations.isEmpty()) {
            for (IpvsResult r : client.apply(mutations)) {
                errors.add(r.error());
            }
        }
        Outcome o = RestorePlan.report(pending, errors, status, err);
        pending.clear();
        return o;
    }
}

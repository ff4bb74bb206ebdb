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
import io.jipvs.cli.ipvsadm.IpvsadmParser;
import io.jipvs.cli.ipvsadm.OptionKind;
import io.jipvs.cli.ipvsadm.Usage;
import io.jipvs.cli.ipvsadm.UsageException;
import io.jipvs.cli.names.Resolver;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.IpvsInfo;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import io.jipvs.model.Timeouts;
import io.jipvs.model.TunnelChecksum;
import io.jipvs.model.TunnelType;
import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.ipvs.IpvsClient;
import io.jipvs.netlink.ipvs.IpvsException;
import io.jipvs.netlink.ipvs.IpvsOperation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
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
        return run(args, false).status;
    }

    private Outcome run(List<String> args, boolean restoring) {
        IpvsadmParser parser = new IpvsadmParser(program, resolver);
        Invocation inv;
        try {
            inv = parser.parse(args);
            if (restoring && inv.command() == CommandKind.RESTORE) {
                throw parser.tryHelp();
            }
        } catch (UsageException e) {
            err.println(e.getMessage());
            return new Outcome(e.exitCode(), e.kind() != UsageException.Kind.POPT);
        }
        try {
            return switch (inv.command()) {
                case HELP -> print(Usage.help(program));
                case VERSION -> print(Usage.VERSION);
                case LIST -> list(inv);
                case SAVE -> save(inv);
                case RESTORE -> restore();
                default -> change(inv);
            };
        } catch (IpvsException e) {
            err.println(e.getMessage());
            boolean listing = inv.command() == CommandKind.LIST || inv.command() == CommandKind.SAVE;
            return new Outcome(listing ? 1 : 255, listing);
        }
    }

    private Outcome print(String text) {
        out.print(text);
        // ipvsadm exits from inside -h/-v, ending a restore in progress.
        return new Outcome(0, true);
    }

    // ------------------------------------------------------------------ changes

    private Outcome change(Invocation inv) {
        switch (inv.command()) {
            case ADD_SERVICE -> client.addService(service(inv));
            case EDIT_SERVICE -> client.updateService(service(inv));
            case DELETE_SERVICE -> client.deleteService(key(inv));
            case FLUSH -> client.flush();
            case ADD_SERVER -> client.addDestination(key(inv), destination(inv));
            case EDIT_SERVER -> client.updateDestination(key(inv), destination(inv));
            case DELETE_SERVER -> client.deleteDestination(key(inv), inv.destinationAddress(), inv.destinationPort());
            case ZERO -> {
                if (inv.has(OptionKind.SERVICE) && !unspecified(inv)) {
                    client.zero(key(inv));
                } else {
                    client.zero();
                }
            }
            case SET -> {
                int[] t = inv.timeouts();
                client.setTimeouts(new Timeouts(t[0], t[1], t[2]));
            }
            case START_DAEMON -> client.startDaemon(new SyncDaemon(
                    inv.daemonBackup() ? SyncState.BACKUP : SyncState.MASTER, inv.interfaceName(), inv.syncId(),
                    inv.syncMaxLength(), inv.mcastGroup(), inv.mcastPort(), inv.mcastTtl()));
            case STOP_DAEMON -> client.stopDaemon(inv.daemonBackup() ? SyncState.BACKUP : SyncState.MASTER);
            default -> throw new IllegalStateException("not a change: " + inv.command());
        }
        return new Outcome(0, false);
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
            out.print(inv.json() ? JsonFormatter.timeouts(t) : ListFormatter.timeouts(t));
            return new Outcome(0, false);
        }
        if (inv.has(OptionKind.DAEMON)) {
            List<SyncDaemon> daemons;
            try {
                daemons = client.daemons();
            } catch (IpvsException e) {
                return new Outcome(1, true);
            }
            out.print(inv.json() ? JsonFormatter.daemons(daemons) : ListFormatter.daemons(daemons));
            return new Outcome(0, false);
        }
        boolean sort = !inv.has(OptionKind.NOSORT);
        IpvsInfo info = null;
        List<ServiceView> views;
        if (inv.has(OptionKind.SERVICE)) {
            ServiceEntry entry = client.service(key(inv)).orElse(null);
            if (entry == null) {
                err.println(IpvsException.describe(IpvsOperation.GET_SERVICE, Errno.ESRCH));
                return new Outcome(1, true);
            }
            views = List.of(view(entry, sort));
        } else {
            info = client.info();
            views = table(sort);
        }
        if (inv.json()) {
            out.print(JsonFormatter.services(info, views));
        } else {
            out.print(ListFormatter.format(info, views, mode(inv), inv.has(OptionKind.EXACT), names));
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

    private List<ServiceView> table(boolean sort) {
        List<ServiceEntry> services = client.services();
        if (sort) {
            services = IpvsadmOrder.sort(services, (a, b) -> IpvsadmOrder.SERVICES.compare(a.key(), b.key()));
        }
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
        List<ServiceView> views = table(true);
        out.print(inv.json() ? JsonFormatter.services(null, views)
                : SaveFormatter.format(views, new Names(resolver, inv.has(OptionKind.NUMERIC))));
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
        out.print(inv.json() ? JsonFormatter.connections(entries)
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
     * -R: every stdin line is a command line (tokens split on blanks, "ipvsadm" tokens dropped).
     * Validation failures stop the restore with their status; popt and kernel errors are
     * reported and the next line runs; the status is the last line's.
     */
    private Outcome restore() {
        String input;
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            input = buf.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return new Outcome(0, false);
        }
        int status = 0;
        for (String line : input.split("\n", -1)) {
            List<String> tokens = new ArrayList<>();
            for (String t : line.split("[ \t\r\n]+")) {
                if (!t.isEmpty() && !t.equals("ipvsadm")) {
                    tokens.add(t);
                }
            }
            if (tokens.isEmpty()) {
                continue;
            }
            Outcome o = run(tokens, true);
            if (o.abort) {
                return o;
            }
            status = o.status;
        }
        return new Outcome(status, false);
    }
}

package io.jipvs.cli.ipvsadm;

import static io.jipvs.cli.ipvsadm.Invocation.*;

import io.jipvs.cli.ipvsadm.PoptTokenizer.ErrorEvent;
import io.jipvs.cli.ipvsadm.PoptTokenizer.Event;
import io.jipvs.cli.ipvsadm.PoptTokenizer.OptionEvent;
import io.jipvs.cli.ipvsadm.PoptTokenizer.Positional;
import io.jipvs.cli.names.Resolver;
import io.jipvs.model.Addresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * ipvsadm 1.31's process_options without the execution: option values left to right, then
 * --set values, leftovers, scheduler flags, the command × option matrix and the per-command
 * checks — in that order, the first failure winning, with ipvsadm's exact texts.
 */
public final class IpvsadmParser {
    private static final long MAX_TIMEOUT = 86400L * 31;

    private final String program;
    private final Resolver resolver;

    public IpvsadmParser(String program, Resolver resolver) {
        this.program = program;
        this.resolver = resolver;
    }

    /** The "Try `%s -h' ..." failure for this program name. */
    public UsageException tryHelp() {
        return new UsageException(UsageException.Kind.TRY,
                "Try `" + program + " -h' or '" + program + " --help' for more information.");
    }

    /**
     * Parses one command line (without the program name).
     *
     * @throws UsageException when ipvsadm would reject it
     */
    public Invocation parse(List<String> args) {
        Invocation inv = new Invocation();
        List<Event> events = PoptTokenizer.tokenize(args);
        List<String> positionals = new ArrayList<>();
        String schedFlags = null;
        for (Event e : events) {
            if (e instanceof Positional p) {
                positionals.add(p.value());
                continue;
            }
            if (e instanceof ErrorEvent err) {
                if (inv.command == null) {
                    throw tryHelp();
                }
                throw new UsageException(UsageException.Kind.POPT, err.token() + ": " + err.message());
            }
            OptionEvent o = (OptionEvent) e;
            Switch s = o.option();
            // jipvs's own options may appear anywhere, even before the command.
            if (s == Switch.JSON) {
                inv.json = true;
                continue;
            }
            if (s == Switch.NETNS) {
                continue;
            }
            if (inv.command == null) {
                CommandKind c = s.command();
                if (c == null) {
                    throw tryHelp();
                }
                inv.command = c;
                if (c == CommandKind.HELP || c == CommandKind.VERSION) {
                    return inv;
                }
                if (c == CommandKind.START_DAEMON || c == CommandKind.STOP_DAEMON) {
                    if (o.value().equals("master")) {
                        inv.daemonBackup = false;
                    } else if (o.value().equals("backup")) {
                        inv.daemonBackup = true;
                    } else {
                        throw UsageException.fail(c == CommandKind.START_DAEMON
                                ? "illegal start-daemon parameter specified" : "illegal start_daemon specified");
                    }
                }
                continue;
            }
            if (s.command() != null) {
                throw UsageException.fail("invalid option `%s'", o.token());
            }
            String v = o.value();
            switch (s) {
                case TCP_SERVICE, UDP_SERVICE, SCTP_SERVICE -> {
                    set(inv, OptionKind.SERVICE);
                    inv.protocol = s == Switch.TCP_SERVICE ? IPPROTO_TCP
                            : s == Switch.UDP_SERVICE ? IPPROTO_UDP : IPPROTO_SCTP;
                    Endpoint ep = parseEndpoint(v, inv.protocol, inv.servicePort);
                    if (ep == null) {
                        throw UsageException.fail("illegal virtual server address[:port] specified");
                    }
                    inv.serviceFamily = ep.family;
                    inv.serviceAddress = ep.address;
                    inv.servicePort = ep.port;
                    if (ep.family == AF_INET6) {
                        inv.netmask = 128;
                    }
                }
                case FWMARK_SERVICE -> {
                    set(inv, OptionKind.SERVICE);
                    Long mark = CNumbers.strtolWhole(v);
                    if (mark == null || mark <= 0 || mark > 0xFFFF_FFFFL) {
                        throw UsageException.fail("invalid fwmark value `%s' specified", v);
                    }
                    inv.fwmark = mark;
                    inv.serviceFamily = AF_INET;
                    inv.protocol = IPPROTO_TCP;
                }
                case NETMASK -> {
                    set(inv, OptionKind.NETMASK);
                    if (inv.serviceFamily != AF_INET6) {
                        byte[] m = Addresses.aton(v);
                        if (m == null) {
                            InetAddress host = resolver.hostByName(v);
                            m = host == null ? null : host.getAddress();
                        }
                        if (m == null) {
                            throw UsageException.fail("illegal virtual server persistent mask specified");
                        }
                        inv.netmask = Integer.toUnsignedLong(
                                (m[0] & 0xFF) << 24 | (m[1] & 0xFF) << 16 | (m[2] & 0xFF) << 8 | (m[3] & 0xFF));
                    } else {
                        int prefix = CNumbers.atoi(v);
                        if (prefix < 1 || prefix > 128) {
                            throw UsageException.fail("illegal ipv6 netmask specified");
                        }
                        inv.netmask = prefix;
                    }
                }
                case SCHEDULER -> {
                    set(inv, OptionKind.SCHEDULER);
                    inv.scheduler = v.length() > 15 ? v.substring(0, 15) : v;
                }
                case PERSISTENT -> {
                    set(inv, OptionKind.PERSISTENT);
                    inv.flags |= F_PERSISTENT;
                    if (v != null) {
                        long t = CNumbers.stringToNumber(v, 1, MAX_TIMEOUT);
                        if (t == Long.MIN_VALUE) {
                            throw UsageException.fail("invalid timeout value `%s' specified", v);
                        }
                        inv.persistenceTimeout = t;
                    } else {
                        inv.persistenceTimeout = 360;
                    }
                }
                case REAL_SERVER -> {
                    set(inv, OptionKind.REAL_SERVER);
                    Endpoint ep = parseEndpoint(v, inv.protocol, inv.servicePort);
                    if (ep == null) {
                        throw UsageException.fail("illegal real server address[:port] specified");
                    }
                    inv.destinationFamily = ep.family;
                    inv.destinationAddress = ep.address;
                    inv.destinationPort = ep.port;
                }
                case GATEWAYING, IPIP, MASQUERADING -> {
                    set(inv, OptionKind.FORWARD);
                    inv.forwarding = s == Switch.GATEWAYING ? FWD_ROUTE : s == Switch.IPIP ? FWD_TUNNEL : FWD_MASQ;
                }
                case WEIGHT -> {
                    set(inv, OptionKind.WEIGHT);
                    inv.weight = (int) number(v, 0, Integer.MAX_VALUE, "illegal weight specified");
                }
                case U_THRESHOLD -> {
                    set(inv, OptionKind.U_THRESHOLD);
                    inv.upperThreshold = (int) number(v, 0, Integer.MAX_VALUE, "illegal u_threshold specified");
                }
                case L_THRESHOLD -> {
                    set(inv, OptionKind.L_THRESHOLD);
                    inv.lowerThreshold = (int) number(v, 0, Integer.MAX_VALUE, "illegal l_threshold specified");
                }
                case NUMERIC -> set(inv, OptionKind.NUMERIC);
                case CONNECTION -> set(inv, OptionKind.CONNECTION);
                case MCAST_INTERFACE -> {
                    set(inv, OptionKind.MCAST_INTERFACE);
                    inv.interfaceName = v.length() > 15 ? v.substring(0, 15) : v;
                }
                case SYNCID -> {
                    set(inv, OptionKind.SYNCID);
                    inv.syncId = (int) number(v, 0, 255, "illegal syncid specified");
                }
                case TIMEOUT -> set(inv, OptionKind.TIMEOUT);
                case DAEMON -> set(inv, OptionKind.DAEMON);
                case STATS -> set(inv, OptionKind.STATS);
                case RATE -> set(inv, OptionKind.RATE);
                case THRESHOLDS -> set(inv, OptionKind.THRESHOLDS);
                case PERSISTENT_CONN -> set(inv, OptionKind.PERSISTENT_CONN);
                case NOSORT -> set(inv, OptionKind.NOSORT);
                case SORT -> {
                    // accepted and ignored by ipvsadm, with every command, any number of times
                }
                case EXACT -> set(inv, OptionKind.EXACT);
                case IPV6 -> {
                    if (inv.fwmark == 0) {
                        throw UsageException.fail("-6 used before -f\n");
                    }
                    inv.serviceFamily = AF_INET6;
                    inv.netmask = 128;
                }
                case OPS -> {
                    set(inv, OptionKind.OPS);
                    inv.flags |= F_ONEPACKET;
                }
                case PE -> {
                    set(inv, OptionKind.PE);
                    inv.persistenceEngine = v.length() > 15 ? v.substring(0, 15) : v;
                }
                case SCHED_FLAGS -> {
                    set(inv, OptionKind.SCHED_FLAGS);
                    schedFlags = v;
                }
                case SYNC_MAXLEN -> {
                    set(inv, OptionKind.SYNC_MAXLEN);
                    inv.syncMaxLength = (int) number(v, 1, 65535 - 28, "illegal sync-maxlen specified");
                }
                case MCAST_GROUP -> {
                    set(inv, OptionKind.MCAST_GROUP);
                    if (v.indexOf(':') >= 0) {
                        byte[] a = Addresses.pton6(v);
                        if (a == null || (a[0] & 0xFF) != 0xFF) {
                            throw UsageException.fail("invalid IPv6 mcast-group `%s'", v);
                        }
                        inv.mcastGroup = Addresses.of(a);
                    } else {
                        byte[] a = Addresses.pton4(v);
                        if (a == null || (a[0] & 0xF0) != 0xE0) {
                            throw UsageException.fail("invalid IPv4 mcast-group `%s'", v);
                        }
                        inv.mcastGroup = Addresses.of(a);
                    }
                }
                case MCAST_PORT -> {
                    set(inv, OptionKind.MCAST_PORT);
                    inv.mcastPort = (int) number(v, 1, 65535, "illegal mcast-port specified");
                }
                case MCAST_TTL -> {
                    set(inv, OptionKind.MCAST_TTL);
                    inv.mcastTtl = (int) number(v, 1, 255, "illegal mcast-ttl specified");
                }
                case TUN_INFO -> set(inv, OptionKind.TUN_INFO);
                case TUN_TYPE -> {
                    set(inv, OptionKind.TUN_TYPE);
                    inv.tunnelType = switch (v) {
                        case "ipip" -> 0;
                        case "gue" -> 1;
                        case "gre" -> 2;
                        default -> throw UsageException.fail("illegal tunnel type specified");
                    };
                }
                case TUN_PORT -> {
                    set(inv, OptionKind.TUN_PORT);
                    inv.tunnelPort = (int) number(v, 1, 65535, "illegal tunnel port specified");
                }
                case TUN_NOCSUM -> set(inv, OptionKind.TUN_NOCSUM);
                case TUN_CSUM -> {
                    set(inv, OptionKind.TUN_CSUM);
                    inv.tunnelFlags |= 1;
                }
                case TUN_REMCSUM -> {
                    set(inv, OptionKind.TUN_REMCSUM);
                    inv.tunnelFlags |= 2;
                }
                default -> throw new IllegalStateException("unhandled option " + s);
            }
        }
        if (inv.command == null) {
            throw tryHelp();
        }

        int next = 0;
        if (inv.command == CommandKind.SET) {
            if (positionals.size() < 3) {
                throw UsageException.fail("--set option requires 3 timeout values");
            }
            for (int k = 0; k < 3; k++) {
                String t = positionals.get(k);
                long value = CNumbers.stringToNumber(t, 0, MAX_TIMEOUT);
                if (value == Long.MIN_VALUE) {
                    throw UsageException.fail("invalid timeout value `%s' specified", t);
                }
                inv.timeouts[k] = (int) value;
            }
            next = 3;
        }
        if (positionals.size() > next) {
            throw UsageException.fail("unexpected argument %s", positionals.get(next));
        }
        if (schedFlags != null) {
            inv.flags |= schedulerFlags(schedFlags, inv.scheduler.isEmpty() ? "wlc" : inv.scheduler);
        }
        checkMatrix(inv);
        if (inv.json && inv.command != CommandKind.LIST && inv.command != CommandKind.SAVE) {
            throw UsageException.fail("Illegal 'json' option with the '%s' command", inv.command.text());
        }
        checkCommand(inv);
        return inv;
    }

    private static void set(Invocation inv, OptionKind option) {
        if (!inv.options.add(option)) {
            throw UsageException.fail("multiple '%s' options specified", option.text());
        }
    }

    private static long number(String v, long min, long max, String message) {
        long n = CNumbers.stringToNumber(v, min, max);
        if (n == Long.MIN_VALUE) {
            throw UsageException.fail(message);
        }
        return n;
    }

    /** parse_sched_flags: comma-separated names, checked against the scheduler. */
    static int schedulerFlags(String text, String scheduler) {
        if (text.isEmpty()) {
            return 0;
        }
        int bits = 0;
        boolean any = false;
        for (String token : text.split(",")) {
            if (token.isEmpty()) {
                continue;
            }
            any = true;
            bits |= switch (token) {
                case "flag-1" -> F_SCHED1;
                case "flag-2" -> F_SCHED2;
                case "flag-3" -> F_SCHED3;
                case "sh-fallback", "sh-port", "mh-fallback", "mh-port" -> {
                    if (!scheduler.equals(token.substring(0, 2))) {
                        throw UsageException.fail("incompatible scheduler flag `%s'", token);
                    }
                    yield token.endsWith("fallback") ? F_SCHED1 : F_SCHED2;
                }
                default -> throw UsageException.fail("invalid scheduler flag `%s'", token);
            };
        }
        if (!any) {
            // ipvsadm dereferences a NULL token here and crashes (SIGSEGV); jipvs's one deviation.
            throw UsageException.fail("invalid scheduler flag `%s': no flag given", text);
        }
        return bits;
    }

    private static void checkMatrix(Invocation inv) {
        CommandKind c = inv.command;
        OptionKind firstOfGroup = null;
        for (OptionKind o : OptionKind.values()) {
            char rule = c.rule(o);
            boolean present = inv.options.contains(o);
            if (rule == '+' && !present) {
                throw UsageException.fail("You need to supply the '%s' option for the '%s' command", o.text(), c.text());
            }
            if (rule == 'x' && present) {
                throw UsageException.fail("Illegal '%s' option with the '%s' command", o.text(), c.text());
            }
            if (rule == '1' && present) {
                if (firstOfGroup != null) {
                    throw UsageException.fail("The option '%s' conflicts with the '%s' option in the '%s' command",
                            o.text(), firstOfGroup.text(), c.text());
                }
                firstOfGroup = o;
            }
        }
    }

    private static final OptionKind[] TUNNEL_OPTIONS = {
        OptionKind.TUN_PORT, OptionKind.TUN_NOCSUM, OptionKind.TUN_CSUM, OptionKind.TUN_REMCSUM};
    private static final String[] TUNNEL_TYPES = {"ipip", "gue", "gre"};
    private static final String[] TUNNEL_RULES = {"xxxx", "+111", "x11x"};

    private static void checkCommand(Invocation inv) {
        switch (inv.command) {
            case ADD_SERVICE, EDIT_SERVICE -> {
                if (inv.fwmark == 0 && inv.servicePort == 0 && (inv.flags & F_PERSISTENT) == 0) {
                    throw UsageException.fail("Zero port specified for non-persistent service");
                }
                if ((inv.flags & F_ONEPACKET) != 0 && inv.fwmark == 0 && inv.protocol != IPPROTO_UDP) {
                    throw UsageException.fail("One-Packet Scheduling is only for UDP virtual services");
                }
                if (inv.scheduler.isEmpty()) {
                    inv.scheduler = "wlc";
                }
            }
            case START_DAEMON -> {
                if (inv.interfaceName.isEmpty()) {
                    inv.interfaceName = "eth0";
                }
            }
            case ADD_SERVER, EDIT_SERVER -> {
                if (inv.fwmark == 0 && (inv.forwarding == FWD_ROUTE || inv.forwarding == FWD_TUNNEL)) {
                    inv.destinationPort = inv.servicePort;
                }
                if (inv.destinationFamily != inv.serviceFamily && inv.forwarding != FWD_TUNNEL) {
                    throw UsageException.fail("Different address family is allowed only for tunneling servers");
                }
                boolean tunnelOption = inv.has(OptionKind.TUN_TYPE);
                for (OptionKind o : TUNNEL_OPTIONS) {
                    tunnelOption |= inv.has(o);
                }
                if (tunnelOption && inv.forwarding != FWD_TUNNEL) {
                    throw UsageException.fail("Tunnel options conflict with forward method");
                }
                if (inv.forwarding == FWD_TUNNEL) {
                    String type = TUNNEL_TYPES[inv.tunnelType];
                    String rules = TUNNEL_RULES[inv.tunnelType];
                    OptionKind first = null;
                    for (int k = 0; k < TUNNEL_OPTIONS.length; k++) {
                        OptionKind o = TUNNEL_OPTIONS[k];
                        boolean present = inv.has(o);
                        char rule = rules.charAt(k);
                        if (rule == '+' && !present) {
                            throw UsageException.fail("You need to supply the '%s' option for the '%s' tunnel type",
                                    o.text(), type);
                        }
                        if (rule == 'x' && present) {
                            throw UsageException.fail("Illegal '%s' option with the '%s' tunnel type", o.text(), type);
                        }
                        if (rule == '1' && present) {
                            if (first != null) {
                                throw UsageException.fail(
                                        "The option '%s' conflicts with the '%s' option in the '%s' tunnel type",
                                        o.text(), first.text(), type);
                            }
                            first = o;
                        }
                    }
                }
            }
            case LIST -> {
                boolean special = inv.has(OptionKind.CONNECTION) || inv.has(OptionKind.TIMEOUT)
                        || inv.has(OptionKind.DAEMON);
                boolean columns = inv.has(OptionKind.STATS) || inv.has(OptionKind.RATE)
                        || inv.has(OptionKind.THRESHOLDS);
                if ((special && columns) || ((inv.has(OptionKind.TIMEOUT) || inv.has(OptionKind.DAEMON))
                        && inv.has(OptionKind.PERSISTENT_CONN))) {
                    throw UsageException.fail("options conflicts in the list command");
                }
            }
            default -> {
            }
        }
    }

    /** A parsed host[:port]: family, address and port. */
    private record Endpoint(int family, InetAddress address, int port) {
    }

    /**
     * parse_service: [v6]:port, bare IPv6 (no port), or host[:port] split at the last ':', the
     * host through inet_aton then gethostbyname, the port a number or a service name of the
     * protocol. {@code defaultPort} is what the target held before (the service port for -r).
     */
    private Endpoint parseEndpoint(String buf, int protocol, int defaultPort) {
        if (buf.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return null; // all digits, including the empty string
        }
        String host;
        String port = null;
        boolean bracketed = false;
        if (buf.startsWith("[")) {
            int close = buf.indexOf(']');
            if (close < 0 || close + 1 >= buf.length() || buf.charAt(close + 1) != ':') {
                return null;
            }
            host = buf.substring(1, close);
            port = buf.substring(close + 2);
            bracketed = true;
        } else {
            host = buf;
        }
        byte[] v6 = Addresses.pton6(host);
        int family;
        InetAddress address;
        if (v6 != null) {
            family = AF_INET6;
            address = Addresses.of(v6);
            if (!bracketed) {
                port = null;
            }
        } else {
            if (!bracketed) {
                int colon = host.lastIndexOf(':');
                if (colon >= 0) {
                    port = host.substring(colon + 1);
                    host = host.substring(0, colon);
                }
            } else {
                // ipvsadm loses the port of a bracketed host name (its port pointer is overwritten)
                port = null;
            }
            byte[] v4 = Addresses.aton(host);
            if (v4 != null) {
                address = Addresses.of(v4);
            } else {
                address = resolver.hostByName(host);
                if (address == null) {
                    return null;
                }
            }
            family = AF_INET;
        }
        int p = defaultPort;
        if (port != null) {
            long n = CNumbers.stringToNumber(port, 0, 65535);
            if (n != Long.MIN_VALUE) {
                p = (int) n;
            } else {
                if (port.isEmpty()) {
                    return null;
                }
                String proto = switch (protocol) {
                    case IPPROTO_TCP -> "tcp";
                    case IPPROTO_UDP -> "udp";
                    case IPPROTO_SCTP -> "sctp";
                    default -> null;
                };
                int byName = resolver.portByName(port, proto);
                if (byName < 0) {
                    return null;
                }
                p = byName;
            }
        }
        return new Endpoint(family, address, p);
    }
}

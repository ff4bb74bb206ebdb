package io.jipvs.cli.ipvsadm;

import io.jipvs.cli.ipvsadm.Endpoints.Endpoint;
import io.jipvs.cli.ipvsadm.PoptTokenizer.ErrorEvent;
import io.jipvs.cli.ipvsadm.PoptTokenizer.Event;
import io.jipvs.cli.ipvsadm.PoptTokenizer.OptionEvent;
import io.jipvs.cli.ipvsadm.PoptTokenizer.Positional;
import io.jipvs.cli.names.Resolver;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.Timeouts;
import io.jipvs.model.TunnelChecksum;
import java.util.ArrayList;
import java.util.List;

/**
 * ipvsadm 1.31's process_options without the execution: option values left to right, then
 * --set values, leftovers, scheduler flags, the command × option matrix and the per-command
 * checks — in that order, the first failure winning, with ipvsadm's exact texts. Values are
 * {@link OptionValues}', addresses {@link Endpoints}', the final checks {@link CommandRules}';
 * the result is a typed {@link IpvsadmCommand}.
 */
public final class IpvsadmParser {
    private final String program;
    private final Resolver resolver;
    private final Endpoints endpoints;

    public IpvsadmParser(String program, Resolver resolver) {
        this.program = program;
        this.resolver = resolver;
        this.endpoints = new Endpoints(resolver);
    }

    /** The name messages give the program (ipvsadm's argv[0]). */
    public String program() {
        return program;
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
    public IpvsadmCommand parse(List<String> args) {
        OptionState s = new OptionState();
        List<String> positionals = new ArrayList<>();
        for (Event e : PoptTokenizer.tokenize(args)) {
            if (e instanceof Positional p) {
                positionals.add(p.value());
            } else if (e instanceof ErrorEvent err) {
                if (s.command == null) {
                    throw tryHelp();
                }
                throw new UsageException(UsageException.Kind.POPT, err.token() + ": " + err.message());
            } else {
                OptionEvent o = (OptionEvent) e;
                if (o.option() == Switch.JSON) {
                    s.json = true; // jipvs's own options may appear anywhere, even before the command
                } else if (o.option() == Switch.NETNS) {
                    continue; // Jipvs.run has already entered the namespace
                } else if (s.command == null) {
                    command(s, o);
                    if (s.command == CommandKind.HELP || s.command == CommandKind.VERSION) {
                        return s.toCommand(); // ipvsadm acts on -h and -v at once
                    }
                } else {
                    option(s, o);
                }
            }
        }
        if (s.command == null) {
            throw tryHelp();
        }
        int next = 0;
        if (s.command == CommandKind.SET) {
            if (positionals.size() < 3) {
                throw UsageException.fail("--set option requires 3 timeout values");
            }
            int[] t = new int[3];
            for (int k = 0; k < 3; k++) {
                t[k] = (int) OptionValues.timeout(positionals.get(k), 0);
            }
            s.timeouts = new Timeouts(t[0], t[1], t[2]);
            next = 3;
        }
        if (positionals.size() > next) {
            throw UsageException.fail("unexpected argument %s", positionals.get(next));
        }
        if (s.schedulerFlags != null) {
            s.flags.addAll(OptionValues.schedulerFlags(s.schedulerFlags, s.effectiveScheduler()));
        }
        CommandRules.check(s);
        return s.toCommand();
    }

    /** The first option: it must be a command; the daemon commands take master or backup. */
    private void command(OptionState s, OptionEvent o) {
        CommandKind c = o.option().command();
        if (c == null) {
            throw tryHelp();
        }
        s.command = c;
        if (c == CommandKind.START_DAEMON || c == CommandKind.STOP_DAEMON) {
            s.daemonState = OptionValues.daemonState(o.value(), c);
        }
    }

    /** Any later option: recorded (a repeat is an error at once) and its value parsed. */
    private void option(OptionState s, OptionEvent o) {
        Switch sw = o.option();
        if (sw.command() != null) {
            throw UsageException.fail("invalid option `%s'", o.token());
        }
        String v = o.value();
        switch (sw) {
            case TCP_SERVICE, UDP_SERVICE, SCTP_SERVICE -> {
                s.set(OptionKind.SERVICE);
                s.protocol = sw == Switch.TCP_SERVICE ? Protocol.TCP
                        : sw == Switch.UDP_SERVICE ? Protocol.UDP : Protocol.SCTP;
                Endpoint ep = endpoints.parse(v, s.protocol, s.servicePort);
                if (ep == null) {
                    throw UsageException.fail("illegal virtual server address[:port] specified");
                }
                s.family = AddressFamily.of(ep.address());
                s.serviceAddress = ep.address();
                s.servicePort = ep.port();
                if (s.family == AddressFamily.INET6) {
                    s.netmask = Service.fullNetmask(AddressFamily.INET6);
                }
            }
            case FWMARK_SERVICE -> {
                s.set(OptionKind.SERVICE);
                s.fwmark = OptionValues.fwmark(v);
                s.family = AddressFamily.INET;
                s.protocol = Protocol.TCP;
            }
            case NETMASK -> {
                s.set(OptionKind.NETMASK);
                s.netmask = OptionValues.netmask(v, s.family == AddressFamily.INET6, resolver);
            }
            case SCHEDULER -> {
                s.set(OptionKind.SCHEDULER);
                s.scheduler = OptionValues.kernelName(v);
            }
            case PERSISTENT -> {
                s.set(OptionKind.PERSISTENT);
                s.flags.add(ServiceFlag.PERSISTENT);
                s.persistenceTimeout = v != null ? OptionValues.timeout(v, 1) : Service.DEFAULT_PERSISTENT_TIMEOUT;
            }
            case REAL_SERVER -> {
                s.set(OptionKind.REAL_SERVER);
                Endpoint ep = endpoints.parse(v, s.protocol, s.servicePort);
                if (ep == null) {
                    throw UsageException.fail("illegal real server address[:port] specified");
                }
                s.destinationAddress = ep.address();
                s.destinationPort = ep.port();
            }
            case GATEWAYING, IPIP, MASQUERADING -> {
                s.set(OptionKind.FORWARD);
                s.forwarding = sw == Switch.GATEWAYING ? ForwardingMethod.ROUTE
                        : sw == Switch.IPIP ? ForwardingMethod.TUNNEL : ForwardingMethod.MASQ;
            }
            case WEIGHT -> {
                s.set(OptionKind.WEIGHT);
                s.weight = (int) OptionValues.number(v, 0, Integer.MAX_VALUE, "illegal weight specified");
            }
            case U_THRESHOLD -> {
                s.set(OptionKind.U_THRESHOLD);
                s.upperThreshold = (int) OptionValues.number(v, 0, Integer.MAX_VALUE, "illegal u_threshold specified");
            }
            case L_THRESHOLD -> {
                s.set(OptionKind.L_THRESHOLD);
                s.lowerThreshold = (int) OptionValues.number(v, 0, Integer.MAX_VALUE, "illegal l_threshold specified");
            }
            case MCAST_INTERFACE -> {
                s.set(OptionKind.MCAST_INTERFACE);
                s.interfaceName = OptionValues.kernelName(v);
            }
            case SYNCID -> {
                s.set(OptionKind.SYNCID);
                s.syncId = (int) OptionValues.number(v, 0, 255, "illegal syncid specified");
            }
            case IPV6 -> {
                if (s.fwmark == 0) {
                    throw UsageException.fail("-6 used before -f\n");
                }
                s.family = AddressFamily.INET6;
                s.netmask = Service.fullNetmask(AddressFamily.INET6);
            }
            case OPS -> {
                s.set(OptionKind.OPS);
                s.flags.add(ServiceFlag.ONE_PACKET);
            }
            case PE -> {
                s.set(OptionKind.PE);
                s.persistenceEngine = OptionValues.kernelName(v);
            }
            case SCHED_FLAGS -> {
                s.set(OptionKind.SCHED_FLAGS);
                s.schedulerFlags = v;
            }
            case SYNC_MAXLEN -> {
                s.set(OptionKind.SYNC_MAXLEN);
                s.syncMaxLength = (int) OptionValues.number(v, 1, 65535 - 28, "illegal sync-maxlen specified");
            }
            case MCAST_GROUP -> {
                s.set(OptionKind.MCAST_GROUP);
                s.mcastGroup = OptionValues.mcastGroup(v);
            }
            case MCAST_PORT -> {
                s.set(OptionKind.MCAST_PORT);
                s.mcastPort = (int) OptionValues.number(v, 1, 65535, "illegal mcast-port specified");
            }
            case MCAST_TTL -> {
                s.set(OptionKind.MCAST_TTL);
                s.mcastTtl = (int) OptionValues.number(v, 1, 255, "illegal mcast-ttl specified");
            }
            case TUN_TYPE -> {
                s.set(OptionKind.TUN_TYPE);
                s.tunnelType = OptionValues.tunnelType(v);
            }
            case TUN_PORT -> {
                s.set(OptionKind.TUN_PORT);
                s.tunnelPort = (int) OptionValues.number(v, 1, 65535, "illegal tunnel port specified");
            }
            case TUN_NOCSUM -> s.set(OptionKind.TUN_NOCSUM);
            case TUN_CSUM -> {
                s.set(OptionKind.TUN_CSUM);
                s.tunnelChecksum = TunnelChecksum.CSUM;
            }
            case TUN_REMCSUM -> {
                s.set(OptionKind.TUN_REMCSUM);
                s.tunnelChecksum = TunnelChecksum.REMCSUM;
            }
            case SORT -> {
                // accepted and ignored by ipvsadm, with every command, any number of times
            }
            default -> s.set(flagOption(sw));
        }
    }

    /** The matrix column of an option without a value. */
    private static OptionKind flagOption(Switch sw) {
        return switch (sw) {
            case NUMERIC -> OptionKind.NUMERIC;
            case CONNECTION -> OptionKind.CONNECTION;
            case TIMEOUT -> OptionKind.TIMEOUT;
            case DAEMON -> OptionKind.DAEMON;
            case STATS -> OptionKind.STATS;
            case RATE -> OptionKind.RATE;
            case THRESHOLDS -> OptionKind.THRESHOLDS;
            case PERSISTENT_CONN -> OptionKind.PERSISTENT_CONN;
            case NOSORT -> OptionKind.NOSORT;
            case EXACT -> OptionKind.EXACT;
            case TUN_INFO -> OptionKind.TUN_INFO;
            default -> throw new IllegalStateException("unhandled option " + sw);
        };
    }
}

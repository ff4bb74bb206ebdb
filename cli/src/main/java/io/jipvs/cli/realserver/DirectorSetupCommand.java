package io.jipvs.cli.realserver;

import io.jipvs.control.fullnat.Snat;
import io.jipvs.control.host.Planner;
import io.jipvs.model.Addresses;
import io.jipvs.model.ServiceKey;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** jipvs director-setup --nat | --fullnat: what a NAT or FULLNAT director needs from the host. */
@Command(name = "director-setup", mixinStandardHelpOptions = true,
        header = "Prepare this host as a NAT or FULLNAT director.",
        description = {"Prepare this host as a director, recording the previous values for director-teardown.",
                "--nat: net.ipv4.ip_forward=1 (with --ipv6 also net.ipv6.conf.all.forwarding=1); the real servers"
                        + " must route their replies back through this host.",
                "--fullnat --service: forwarding and net.ipv4.vs.conntrack=1, then a rule in nft table inet jipvs"
                        + " that gives what IPVS forwards for the service this host's address on the outgoing"
                        + " interface (or one of --snat-address): the real servers see the director as the client and"
                        + " need no VIP, no ARP settings and no route back. Add its real servers as NAT (-m) ones."})
public final class DirectorSetupCommand extends ChangeCommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    DirectorMode mode;

    @Option(names = "--ipv6", description = "With --nat: IPv6 forwarding too (note: it stops the kernel accepting"
            + " router advertisements on interfaces with accept_ra=1).")
    boolean ipv6;

    @Option(names = "--service", paramLabel = "PROTOCOL:VIP:PORT", converter = ServiceOption.class,
            description = "With --fullnat: the virtual service, e.g. tcp:192.0.2.10:80 or tcp:[2001:db8::10]:80.")
    ServiceKey service;

    @Option(names = "--snat-address", paramLabel = "ADDR", split = ",", converter = SnatAddress.class,
            description = "With --fullnat: source addresses to use instead of the outgoing interface's, one picked per"
                    + " connection; each carries up to 64,512 connections to one real server.")
    List<InetAddress> snatAddresses = new ArrayList<>();

    @Override
    protected int execute(PrintWriter out, PrintWriter err) {
        if (mode.nat) {
            if (service != null || !snatAddresses.isEmpty()) {
                return usage(err, "--service and --snat-address go with --fullnat");
            }
            return change(out, err, "director", "director-setup --nat" + (ipv6 ? " --ipv6" : ""),
                    (host, observed, before) -> Planner.directorSetup(observed, before, ipv6), "forwarding is already on");
        }
        if (service == null) {
            return usage(err, "--fullnat needs --service PROTOCOL:VIP:PORT");
        }
        if (ipv6) {
            return usage(err, "--ipv6 goes with --nat (--fullnat follows the service's family)");
        }
        Snat snat;
        try {
            snat = new Snat(service, snatAddresses);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        return change(out, err, "director", "director-setup --fullnat " + service + " ("
                        + (snat.pool().isEmpty() ? "masquerade" : "SNAT to " + snat.poolText()) + ")",
                (host, observed, before) -> Planner.fullnatSetup(observed, before, host.snatTable(), snat),
                "already set up");
    }

    private int usage(PrintWriter err, String message) {
        err.println(name() + ": " + message);
        return Session.USAGE;
    }

    /** A unicast IPv4 or IPv6 literal. */
    static final class SnatAddress implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String text) {
            InetAddress a = Addresses.literal(text.strip());
            if (a == null || a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isMulticastAddress()) {
                throw new TypeConversionException("'" + text + "' is not a unicast IPv4 or IPv6 address");
            }
            return a;
        }
    }
}

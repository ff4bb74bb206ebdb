package io.jipvs.cli.realserver;

import io.jipvs.cli.ipvsadm.IpvsadmErrors;
import io.jipvs.control.fullnat.Snat;
import io.jipvs.control.fullnat.SnatTable;
import io.jipvs.control.host.Checks;
import io.jipvs.control.host.Observed;
import io.jipvs.control.host.StateStore;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.ipvs.Ipvs;
import io.jipvs.netlink.ipvs.IpvsClient;
import io.jipvs.netlink.ipvs.IpvsException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jipvs director-status --nat | --fullnat: is this host ready to direct NAT or FULLNAT traffic. */
@Command(name = "director-status", mixinStandardHelpOptions = true,
        header = "Report whether this host is ready to be a NAT or FULLNAT director.",
        description = {"Report whether this host is ready to be a NAT or FULLNAT director and, if not, what is missing;"
                + " for FULLNAT also what may hurt (SNAT addresses not on this host, real servers allowed more"
                + " connections than the SNAT addresses can carry). Exit status 0 when ready, 1 otherwise."})
public final class DirectorStatusCommand extends HelperCommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    DirectorMode mode;

    @Option(names = "--ipv6", description = "With --nat: check IPv6 forwarding too.")
    boolean ipv6;

    @Option(names = "--service", paramLabel = "PROTOCOL:VIP:PORT", converter = ServiceOption.class,
            description = "With --fullnat: check this service (repeatable; default: every one in nft table inet jipvs).")
    List<ServiceKey> services = new ArrayList<>();

    @Override
    protected int execute(PrintWriter out, PrintWriter err) {
        return Session.run(name(), where, false, err, (host, dir) -> {
            Observed observed = host.observe();
            boolean recorded = !StateStore.read(dir, "director").isEmpty();
            String setUp = recorded ? " (set up by jipvs)" : "";
            if (mode.nat) {
                List<Checks.Check> checks = Checks.natDirector(observed, ipv6);
                boolean ok = Checks.allOk(checks);
                out.println("NAT director" + setUp + ": " + (ok ? "ready" : "NOT READY"));
                checks.forEach(c -> out.println(c.line()));
                return ok ? Session.OK : Session.FAILED;
            }
            SnatTable table = host.snatTable();
            List<ServiceKey> checking = services.isEmpty() ? List.copyOf(table.rules().keySet()) : services;
            if (checking.isEmpty()) {
                out.println("FULLNAT director: NOT READY");
                out.println("  MISSING  a FULLNAT service (director-setup --fullnat --service PROTOCOL:VIP:PORT)");
                return Session.FAILED;
            }
            List<Checks.Check> checks = Checks.fullnatDirector(observed, table, checking);
            List<String> warnings = new ArrayList<>();
            try (Ipvs ipvs = IpvsClient.open()) {
                for (ServiceKey k : checking) {
                    if (ipvs.service(k).isEmpty()) {
                        checks.add(new Checks.Check(false, "IPVS service " + k));
                        continue;
                    }
                    List<DestinationEntry> dests = ipvs.destinations(k);
                    checks.add(new Checks.Check(true, "IPVS service " + k + " with " + dests.size() + " real server"
                            + (dests.size() == 1 ? "" : "s")));
                    for (Snat s : table.snat(k).stream().toList()) {
                        warnings.addAll(Checks.fullnatWarnings(observed, s, dests, host::routable));
                    }
                }
            } catch (IpvsException e) {
                err.println(name() + ": " + IpvsadmErrors.text(e));
                return Session.FAILED;
            }
            boolean ok = Checks.allOk(checks);
            out.println("FULLNAT director" + setUp + ": " + (ok ? "ready" : "NOT READY"));
            checks.forEach(c -> out.println(c.line()));
            warnings.forEach(w -> out.println("  warning  " + w));
            return ok ? Session.OK : Session.FAILED;
        });
    }
}

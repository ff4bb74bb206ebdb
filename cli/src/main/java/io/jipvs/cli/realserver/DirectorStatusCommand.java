package io.jipvs.cli.realserver;

import io.jipvs.control.host.Checks;
import io.jipvs.control.host.StateStore;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jipvs director-status --nat: is this host ready to direct NAT traffic. */
@Command(name = "director-status", mixinStandardHelpOptions = true,
        description = {"Report whether this host is ready to be a NAT director and, if not, what is missing."
                + " Exit status 0 when ready, 1 otherwise."})
public final class DirectorStatusCommand extends HelperCommand {

    @Option(names = "--nat", required = true, description = "Check the NAT director requirements.")
    boolean nat;

    @Option(names = "--ipv6", description = "Check IPv6 forwarding too.")
    boolean ipv6;

    @Override
    protected int execute(PrintWriter out, PrintWriter err) {
        return Session.run(name(), where, false, err, (host, dir) -> {
            List<Checks.Check> checks = Checks.natDirector(host.observe(), ipv6);
            boolean ok = Checks.allOk(checks);
            boolean recorded = !StateStore.read(dir, "director").isEmpty();
            out.println("NAT director" + (recorded ? " (set up by jipvs)" : "") + ": " + (ok ? "ready" : "NOT READY"));
            checks.forEach(c -> out.println(c.line()));
            return ok ? Session.OK : Session.FAILED;
        });
    }
}

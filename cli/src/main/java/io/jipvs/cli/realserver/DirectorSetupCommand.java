package io.jipvs.cli.realserver;

import io.jipvs.control.host.Planner;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jipvs director-setup --nat: what a NAT director needs from the host (forwarding). */
@Command(name = "director-setup", mixinStandardHelpOptions = true,
        description = {"Prepare this host as a NAT director: net.ipv4.ip_forward=1 (and with --ipv6"
                + " net.ipv6.conf.all.forwarding=1), recording the previous values for director-teardown.",
                "The real servers must route their replies back through this host."})
public final class DirectorSetupCommand extends ChangeCommand {

    @Option(names = "--nat", required = true, description = "Prepare for NAT (masquerading) destinations.")
    boolean nat;

    @Option(names = "--ipv6", description = "Also IPv6 forwarding (note: it stops the kernel accepting router"
            + " advertisements on interfaces with accept_ra=1).")
    boolean ipv6;

    @Override
    protected int execute(PrintWriter out, PrintWriter err) {
        return change(out, err, "director", "director-setup --nat" + (ipv6 ? " --ipv6" : ""),
                (observed, before) -> Planner.directorSetup(observed, before, ipv6), "forwarding is already on");
    }
}

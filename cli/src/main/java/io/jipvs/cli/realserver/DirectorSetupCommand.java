package io.jipvs.cli.realserver;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** jipvs director-setup --nat: what a NAT director needs from the host (forwarding). */
@Command(name = "director-setup", mixinStandardHelpOptions = true,
        description = {"Prepare this host as a NAT director: net.ipv4.ip_forward=1 (and with --ipv6"
                + " net.ipv6.conf.all.forwarding=1), recording the previous values for director-teardown.",
                "The real servers must route their replies back through this host."})
public final class DirectorSetupCommand implements Callable<Integer> {

    @Option(names = "--nat", required = true, description = "Prepare for NAT (masquerading) destinations.")
    boolean nat;

    @Option(names = "--ipv6", description = "Also IPv6 forwarding (note: it stops the kernel accepting router"
            + " advertisements on interfaces with accept_ra=1).")
    boolean ipv6;

    @Option(names = "--dry-run", description = "Print the steps without doing them.")
    boolean dryRun;

    @Mixin
    HostOptions where = new HostOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int rc = Session.run("director-setup", where, !dryRun, err, (host, dir) -> {
            StateStore store = StateStore.forCurrentNamespace(dir, "director");
            State before = store.load();
            Plan plan = Planner.directorSetup(host.observe(), before, ipv6);
            out.println("director-setup --nat" + (ipv6 ? " --ipv6" : ""));
            return PlanRunner.execute(plan, before, store, host, dryRun, out, "forwarding is already on");
        });
        out.flush();
        err.flush();
        return rc;
    }
}

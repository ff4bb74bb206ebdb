package io.jipvs.cli.realserver;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** jipvs rs-teardown: undo what rs-setup did for some or all VIPs. */
@Command(name = "rs-teardown", mixinStandardHelpOptions = true,
        description = {"Undo rs-setup: remove the VIPs it added and, once no VIP needs them, put back the sysctl"
                + " values and link states it changed. Values changed by someone else since are left alone."})
public final class RsTeardownCommand implements Callable<Integer> {

    static final class Which {
        @Option(names = "--vip", paramLabel = "VIP[,VIP...]", description = "VIP(s) to tear down.")
        String vips;

        @Option(names = "--all", description = "Every VIP rs-setup recorded here.")
        boolean all;
    }

    @ArgGroup(multiplicity = "1")
    Which which;

    @Option(names = "--mode", paramLabel = "dr|tun", description = "Refuse unless the VIP was set up in this mode.")
    String mode;

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
        List<InetAddress> requested;
        Mode m;
        try {
            requested = which.all ? null : Vips.parse(which.vips);
            m = mode == null ? null : Mode.parse(mode);
        } catch (IllegalArgumentException e) {
            err.println("rs-teardown: " + e.getMessage());
            return Session.USAGE;
        }
        int rc = Session.run("rs-teardown", where, !dryRun, err, (host, dir) -> {
            StateStore store = StateStore.forCurrentNamespace(dir, "rs");
            State before = store.load();
            List<InetAddress> vips = requested != null ? requested
                    : before.vips().stream().map(State.VipRecord::vip).toList();
            Plan plan = Planner.teardown(host.observe(), before, vips, m);
            return PlanRunner.execute(plan, before, store, host, dryRun, out, "nothing of this was set up by jipvs");
        });
        out.flush();
        err.flush();
        return rc;
    }
}

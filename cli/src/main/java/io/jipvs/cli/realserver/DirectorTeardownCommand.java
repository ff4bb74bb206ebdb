package io.jipvs.cli.realserver;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** jipvs director-teardown --nat: put back what director-setup changed. */
@Command(name = "director-teardown", mixinStandardHelpOptions = true,
        description = {"Undo director-setup: restore the forwarding sysctls it changed, unless changed since."})
public final class DirectorTeardownCommand implements Callable<Integer> {

    @Option(names = "--nat", required = true, description = "Undo the NAT preparation.")
    boolean nat;

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
        int rc = Session.run("director-teardown", where, !dryRun, err, (host, dir) -> {
            StateStore store = StateStore.forCurrentNamespace(dir, "director");
            State before = store.load();
            Plan plan = Planner.directorTeardown(host.observe(), before);
            return PlanRunner.execute(plan, before, store, host, dryRun, out, "director-setup changed nothing here");
        });
        out.flush();
        err.flush();
        return rc;
    }
}

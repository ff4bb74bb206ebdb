package io.jipvs.cli.realserver;

import io.jipvs.control.host.Planner;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jipvs director-teardown --nat: put back what director-setup changed. */
@Command(name = "director-teardown", mixinStandardHelpOptions = true,
        description = {"Undo director-setup: restore the forwarding sysctls it changed, unless changed since."})
public final class DirectorTeardownCommand extends ChangeCommand {

    @Option(names = "--nat", required = true, description = "Undo the NAT preparation.")
    boolean nat;

    @Override
    protected int execute(PrintWriter out, PrintWriter err) {
        return change(out, err, "director", null, Planner::directorTeardown, "director-setup changed nothing here");
    }
}

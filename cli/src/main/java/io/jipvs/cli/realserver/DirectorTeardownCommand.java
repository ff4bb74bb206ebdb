package io.jipvs.cli.realserver;

import io.jipvs.control.host.Planner;
import io.jipvs.model.ServiceKey;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jipvs director-teardown --nat | --fullnat: put back what director-setup changed. */
@Command(name = "director-teardown", mixinStandardHelpOptions = true,
        header = "Undo director-setup.",
        description = {"Undo director-setup: remove FULLNAT rules from nft table inet jipvs (--fullnat: those of"
                + " --service, else all), then, once no FULLNAT service is left, restore the sysctls setup"
                + " changed, unless changed since."})
public final class DirectorTeardownCommand extends ChangeCommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    DirectorMode mode;

    @Option(names = "--service", paramLabel = "PROTOCOL:VIP:PORT", converter = ServiceOption.class,
            description = "With --fullnat: only this service's rule (repeatable).")
    List<ServiceKey> services = new ArrayList<>();

    @Override
    protected int execute(PrintWriter out, PrintWriter err) {
        if (mode.nat) {
            if (!services.isEmpty()) {
                err.println(name() + ": --service goes with --fullnat");
                return Session.USAGE;
            }
            return change(out, err, "director", null,
                    (host, observed, before) -> Planner.directorTeardown(observed, before, host.snatTable()),
                    "director-setup changed nothing here");
        }
        return change(out, err, "director", null,
                (host, observed, before) -> Planner.fullnatTeardown(observed, before, host.snatTable(), services),
                "no FULLNAT service is set up here");
    }
}

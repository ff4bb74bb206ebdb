package io.jipvs.cli.realserver;

import io.jipvs.control.host.Mode;
import io.jipvs.control.host.Planner;
import io.jipvs.control.host.State;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jipvs rs-teardown: undo what rs-setup did for some or all VIPs. */
@Command(name = "rs-teardown", mixinStandardHelpOptions = true,
        header = "Undo rs-setup.",
        description = {"Undo rs-setup: remove the VIPs it added and, once no VIP needs them, put back the sysctl"
                + " values and link states it changed. Values changed by someone else since are left alone."})
public final class RsTeardownCommand extends ChangeCommand {

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

    @Override
    protected int execute(PrintWriter out, PrintWriter err) {
        List<InetAddress> requested;
        Mode m;
        try {
            requested = which.all ? null : Vips.parse(which.vips);
            m = mode == null ? null : Mode.parse(mode);
        } catch (IllegalArgumentException e) {
            err.println(name() + ": " + e.getMessage());
            return Session.USAGE;
        }
        return change(out, err, "rs", null, (host, observed, before) -> Planner.teardown(observed, before,
                requested != null ? requested : before.vips().stream().map(State.VipRecord::vip).toList(), m),
                "nothing of this was set up by jipvs");
    }
}

package io.jipvs.cli.realserver;

import io.jipvs.control.host.Checks;
import io.jipvs.control.host.Mode;
import io.jipvs.control.host.Observed;
import io.jipvs.control.host.State;
import io.jipvs.control.host.StateStore;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jipvs rs-status: is this host ready to serve each VIP, and if not, what is missing. */
@Command(name = "rs-status", mixinStandardHelpOptions = true,
        header = "Report whether this host is ready to serve each VIP as a real server.",
        description = {"Report whether this host is ready to serve each VIP as a real server and, if not, exactly"
                + " what is missing. Without --vip: every VIP rs-setup recorded here. Exit status 0 when all are"
                + " ready, 1 otherwise."})
public final class RsStatusCommand extends HelperCommand {

    @Option(names = "--vip", paramLabel = "VIP[,VIP...]", description = "VIP(s) to check.")
    String vips;

    @Option(names = "--mode", paramLabel = "dr|tun", description = "Mode to check a VIP not set up by jipvs for (default: dr).")
    String mode;

    @Option(names = "--dev", paramLabel = "IFACE", description = "Device to expect such a VIP on (default: the mode's).")
    String device;

    @Override
    protected int execute(PrintWriter out, PrintWriter err) {
        List<InetAddress> requested;
        Mode m;
        try {
            requested = vips == null ? null : Vips.parse(vips);
            m = mode == null ? null : Mode.parse(mode);
        } catch (IllegalArgumentException e) {
            err.println(name() + ": " + e.getMessage());
            return Session.USAGE;
        }
        return Session.run(name(), where, false, err, (host, dir) -> {
            // No lock: status changes nothing, and a save replaces the record whole.
            State state = StateStore.read(dir, "rs");
            List<State.VipRecord> targets = new ArrayList<>();
            if (requested == null) {
                targets.addAll(state.vips());
            } else {
                for (InetAddress vip : requested) {
                    State.VipRecord known = state.vip(vip).orElse(null);
                    if (known != null && (m == null || known.mode() == m)) {
                        targets.add(known);
                    } else {
                        Mode mm = m == null ? Mode.DR : m;
                        targets.add(new State.VipRecord(vip, mm, device == null ? mm.defaultDevice() : device, false));
                    }
                }
            }
            if (targets.isEmpty()) {
                out.println("no VIP set up by jipvs here; rs-status --vip VIP checks one");
                return Session.OK;
            }
            Observed o = host.observe();
            boolean ready = true;
            for (State.VipRecord v : targets) {
                List<Checks.Check> checks = Checks.realServer(o, v);
                boolean ok = Checks.allOk(checks);
                ready &= ok;
                out.println("VIP " + v.text() + " (" + v.mode().text() + " on " + v.device()
                        + (state.vip(v.vip()).isPresent() ? ", set up by jipvs" : "") + "): "
                        + (ok ? "ready" : "NOT READY"));
                checks.forEach(c -> out.println(c.line()));
            }
            return ready ? Session.OK : Session.FAILED;
        });
    }
}

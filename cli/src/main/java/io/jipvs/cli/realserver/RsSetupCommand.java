package io.jipvs.cli.realserver;

import io.jipvs.control.host.Mode;
import io.jipvs.control.host.Planner;
import io.jipvs.model.Addresses;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jipvs rs-setup: prepare this host as a DR or TUN real server for one or more VIPs. */
@Command(name = "rs-setup", mixinStandardHelpOptions = true,
        header = "Prepare this host as a DR or TUN real server: its VIPs and ARP sysctls.",
        description = {"Prepare this host as a real server for VIPs: the VIP as /32 (/128, nodad) on lo (dr)"
                + " or tunl0 (tun, brought up), arp_ignore=1 and arp_announce=2 on all and the VIP's device"
                + " (before the VIP appears), and for tun rp_filter=0 on all and tunl0.",
                "Previous values are recorded so that rs-teardown restores them. Running it again changes nothing."})
public final class RsSetupCommand extends ChangeCommand {

    @Option(names = "--vip", required = true, paramLabel = "VIP[,VIP...]", description = "Virtual IP address(es).")
    String vips;

    @Option(names = "--mode", paramLabel = "dr|tun", defaultValue = "dr",
            description = "Forwarding method the director uses for this host (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--dev", paramLabel = "IFACE", description = "Device to hold the VIP (default: lo for dr, tunl0 for tun).")
    String device;

    @Override
    protected int execute(PrintWriter out, PrintWriter err) {
        List<InetAddress> addresses;
        Mode m;
        try {
            addresses = Vips.parse(vips);
            m = Mode.parse(mode);
        } catch (IllegalArgumentException e) {
            err.println(name() + ": " + e.getMessage());
            return Session.USAGE;
        }
        String label = addresses.stream().map(Addresses::ntop).collect(Collectors.joining(", "));
        return change(out, err, "rs", "rs-setup " + label + " (" + m.text() + " on " + (device == null ? m.defaultDevice() : device) + ")",
                (host, observed, before) -> Planner.setup(observed, before, addresses, m, device), "already set up");
    }
}

package io.jipvs.it.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's own view of an IPVS table, {@code /proc/net/ip_vs}: independent of ipvsadm and of
 * jipvs, so tests can check what really landed in the kernel.
 *
 * <pre>
 * TCP  0A010101:0050 wrr
 *   -&gt; 0A010102:0050      Route   1      0          0
 * </pre>
 */
public final class ProcIpvs {
    public record Dest(String address, String forward, int weight) {}

    public record Service(String protocol, String address, String scheduler, List<Dest> dests) {}

    private ProcIpvs() {}

    public static List<Service> parse(String text) {
        List<Service> services = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (line.startsWith("  -> ") && !line.contains("RemoteAddress")) {
                if (services.isEmpty()) {
                    throw new IllegalArgumentException("destination before any service: " + line);
                }
                services.get(services.size() - 1).dests().add(new Dest(f[1], f[2], Integer.parseInt(f[3])));
            } else if (line.startsWith("TCP ") || line.startsWith("UDP ") || line.startsWith("SCTP ")
                    || line.startsWith("FWM ")) {
                services.add(new Service(f[0], f[1], f[2], new ArrayList<>()));
            }
        }
        return services;
    }

    /** Reads the table of the namespace {@code ns}. */
    public static List<Service> read(Netns ns) {
        return parse(ns.run("cat", "/proc/net/ip_vs").orThrow().stdout());
    }
}

package io.jipvs.cli.realserver;

import io.jipvs.model.Addresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses --vip lists: "10.0.0.100", "10.0.0.100,fd00::100", optionally with /32 or /128. Only
 * literals are accepted (a name would mean a DNS lookup), and any other prefix length is refused:
 * a /24 on loopback makes the whole subnet local and silently breaks the host.
 */
public final class Vips {

    private Vips() {
    }

    public static List<InetAddress> parse(String csv) {
        Set<InetAddress> out = new LinkedHashSet<>();
        for (String raw : csv.split(",", -1)) {
            out.add(parseOne(raw.strip()));
        }
        return new ArrayList<>(out);
    }

    public static InetAddress parseOne(String text) {
        String address = text;
        String prefix = null;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            address = text.substring(0, slash);
            prefix = text.substring(slash + 1);
        }
        if (address.isEmpty()) {
            throw new IllegalArgumentException("empty VIP in the list");
        }
        InetAddress a = Addresses.literal(address);
        if (a == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
        }
        boolean v6 = a instanceof Inet6Address;
        if (Addresses.isV4Mapped(a)) {
            // The kernel would hold it as IPv6 while clients reach the VIP over IPv4: refuse rather than guess.
            throw new IllegalArgumentException("'" + text + "': IPv4-mapped IPv6 addresses are not supported");
        }
        String host = v6 ? "128" : "32";
        if (prefix != null && !prefix.equals(host)) {
            throw new IllegalArgumentException("VIP " + text + ": a real server holds the VIP as /" + host
                    + " only (a shorter prefix on " + "loopback would make the whole subnet local)");
        }
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isMulticastAddress() || a.isLinkLocalAddress()
                || isLimitedBroadcast(a)) {
            throw new IllegalArgumentException("VIP " + text + " is not a unicast service address");
        }
        return a;
    }

    /** 255.255.255.255: every host on the link, never one host's address. */
    private static boolean isLimitedBroadcast(InetAddress a) {
        if (a instanceof Inet6Address) {
            return false;
        }
        for (byte b : a.getAddress()) {
            if (b != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }
}

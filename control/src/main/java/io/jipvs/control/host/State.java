package io.jipvs.control.host;

import io.jipvs.model.Addresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What jipvs has changed on this host (one network namespace), so that teardown undoes exactly
 * that and nothing else.
 *
 * @param vips    VIPs set up, whether or not jipvs added the address itself
 * @param sysctls values jipvs changed, with what they were before
 * @param links   links jipvs created or brought up
 */
public record State(List<VipRecord> vips, List<SysctlRecord> sysctls, List<LinkRecord> links) {

    /** Nothing changed. */
    public static final State EMPTY = new State(List.of(), List.of(), List.of());

    /**
     * Copies the lists.
     *
     * @param vips    VIPs set up
     * @param sysctls values changed
     * @param links   links created or brought up
     */
    public State {
        vips = List.copyOf(vips);
        sysctls = List.copyOf(sysctls);
        links = List.copyOf(links);
    }

    /** A VIP jipvs set up; {@code added} is false when the address was already there. */
    public record VipRecord(InetAddress vip, Mode mode, String device, boolean added) {
        /**
         * The VIP as text.
         *
         * @return e.g. "10.0.0.100"
         */
        public String text() {
            return Addresses.ntop(vip);
        }
    }

    /** A sysctl jipvs changed from {@code previous} to {@code applied}. */
    public record SysctlRecord(String key, int previous, int applied) {
    }

    /** A link jipvs created (and so may delete) or only brought up (and so may take down). */
    public record LinkRecord(String device, boolean created, boolean broughtUp) {
    }

    /**
     * Whether nothing is recorded.
     *
     * @return true when there is nothing to undo
     */
    public boolean isEmpty() {
        return vips.isEmpty() && sysctls.isEmpty() && links.isEmpty();
    }

    /**
     * The record of a VIP.
     *
     * @param address the VIP
     * @return its record, or empty
     */
    public Optional<VipRecord> vip(InetAddress address) {
        return vips.stream().filter(v -> v.vip().equals(address)).findFirst();
    }

    /**
     * The record of a sysctl.
     *
     * @param key e.g. net/ipv4/ip_forward
     * @return its record, or empty
     */
    public Optional<SysctlRecord> sysctl(String key) {
        return sysctls.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    /**
     * The record of a link.
     *
     * @param device the link's name
     * @return its record, or empty
     */
    public Optional<LinkRecord> link(String device) {
        return links.stream().filter(l -> l.device().equals(device)).findFirst();
    }

    /**
     * One line per record; the format of the state file.
     *
     * @return the file's text
     */
    public String encode() {
        StringBuilder s = new StringBuilder("# jipvs state: what jipvs changed here; rs-teardown / director-teardown undo it\n");
        for (VipRecord v : vips) {
            s.append("vip ").append(v.text()).append(' ').append(v.mode().text()).append(' ').append(v.device())
                    .append(' ').append(v.added() ? "added" : "present").append('\n');
        }
        for (SysctlRecord r : sysctls) {
            s.append("sysctl ").append(r.key()).append(' ').append(r.previous()).append(' ').append(r.applied())
                    .append('\n');
        }
        for (LinkRecord l : links) {
            s.append("link ").append(l.device()).append(' ').append(l.created() ? "created" : "existing").append(' ')
                    .append(l.broughtUp() ? "up" : "as-is").append('\n');
        }
        return s.toString();
    }

    /**
     * Reads a state file's text.
     *
     * @param text what {@link #encode()} wrote
     * @return the state
     * @throws IllegalArgumentException naming the first bad line
     */
    public static State decode(String text) {
        List<VipRecord> vips = new ArrayList<>();
        List<SysctlRecord> sysctls = new ArrayList<>();
        List<LinkRecord> links = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            try {
                switch (f[0]) {
                    case "vip" -> {
                        expect(f, 5);
                        vips.add(new VipRecord(vip(f[1]), Mode.parse(f[2]), f[3], word(f[4], "added", "present")));
                    }
                    case "sysctl" -> {
                        expect(f, 4);
                        sysctls.add(new SysctlRecord(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3])));
                    }
                    case "link" -> {
                        expect(f, 4);
                        links.add(new LinkRecord(f[1], word(f[2], "created", "existing"), word(f[3], "up", "as-is")));
                    }
                    default -> throw new IllegalArgumentException("unknown record '" + f[0] + "'");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + n + ": " + e.getMessage());
            }
        }
        return new State(vips, sysctls, links);
    }

    private static void expect(String[] f, int count) {
        if (f.length != count) {
            throw new IllegalArgumentException("expected " + count + " fields, found " + f.length);
        }
    }

    private static InetAddress vip(String text) {
        InetAddress a = Addresses.literal(text);
        if (a == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        return a;
    }

    private static boolean word(String s, String yes, String no) {
        if (s.equals(yes)) {
            return true;
        }
        if (s.equals(no)) {
            return false;
        }
        throw new IllegalArgumentException("expected '" + yes + "' or '" + no + "', found '" + s + "'");
    }
}

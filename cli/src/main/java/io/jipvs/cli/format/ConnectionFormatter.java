package io.jipvs.cli.format;

import io.jipvs.cli.ipvsadm.CNumbers;
import io.jipvs.model.Addresses;
import io.jipvs.model.Protocol;
import java.net.InetAddress;

/**
 * ipvsadm -L -c: /proc/net/ip_vs_conn (first line skipped) reformatted line by line, in file
 * order: the title, then {@link #entry} for each line as it is read. Fields are read as
 * sscanf("%s %s %hX %s %hX %s %hX %s %d %s %s") would.
 */
public final class ConnectionFormatter {
    private ConnectionFormatter() {
    }

    public static String title(boolean persistentConn) {
        return "IPVS connection entries\n" + (persistentConn
                ? String.format("pro expire %-11s %-18s %-18s %-18s %-16s %s\n", "state", "source", "virtual",
                        "destination", "pe name", "pe_data")
                : String.format("pro expire %-11s %-18s %-18s %s\n", "state", "source", "virtual", "destination"));
    }

    /** One line of the proc file (after its header) as -L -c prints it, or null when ipvsadm skips it. */
    public static String entry(String line, boolean persistentConn, Names names) {
        // fgets into a 256-byte buffer: longer lines are read in pieces; kernel lines are short.
        String[] f = line.trim().split("[ \t\n\r\f]+");
        if (f.length < 9 || f[0].isEmpty()) {
            return null;
        }
        Protocol proto = switch (f[0]) {
            case "TCP" -> Protocol.TCP;
            case "UDP" -> Protocol.UDP;
            case "SCTP" -> Protocol.SCTP;
            default -> null;
        };
        Integer cport = hex16(f[2]);
        Integer vport = hex16(f[4]);
        Integer dport = hex16(f[6]);
        Long expires = leadingInt(f[8]);
        if (cport == null || vport == null || dport == null || expires == null) {
            return null;
        }
        String expire = String.format("%02d:%02d", expires / 60, expires % 60);
        String c = names.of(address(f[1]), cport, proto);
        String v = names.of(address(f[3]), vport, proto);
        String d = names.of(address(f[5]), dport, proto);
        if (persistentConn && f.length >= 11) {
            return String.format("%-3s %-6s %-11s %-18s %-18s %-16s %-18s %s\n", f[0], expire, f[7], c, v, d,
                    f[9], f[10]);
        }
        return String.format("%-3s %-6s %-11s %-18s %-18s %s\n", f[0], expire, f[7], c, v, d);
    }

    /** IPv6 text, dotted IPv4, or the kernel's 8 hex digits. */
    static InetAddress address(String text) {
        byte[] v6 = Addresses.pton6(text);
        if (v6 != null) {
            return Addresses.of(v6);
        }
        byte[] v4 = Addresses.pton4(text);
        if (v4 != null) {
            return Addresses.of(v4);
        }
        long v = 0;
        for (char ch : text.toCharArray()) {
            int digit = Character.digit(ch, 16);
            if (digit < 0) {
                break;
            }
            v = (v << 4 | digit) & 0xFFFF_FFFFL;
        }
        return Addresses.of(new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
    }

    private static Integer hex16(String s) {
        int v = 0;
        int n = 0;
        for (char ch : s.toCharArray()) {
            int digit = Character.digit(ch, 16);
            if (digit < 0) {
                break;
            }
            v = (v << 4 | digit) & 0xFFFF;
            n++;
        }
        return n == 0 ? null : v;
    }

    private static Long leadingInt(String s) {
        Long whole = CNumbers.strtolWhole(s);
        if (whole != null) {
            return whole;
        }
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || (i == 0 && s.charAt(i) == '-'))) {
            i++;
        }
        return i == 0 ? null : Long.parseLong(s.substring(0, i));
    }
}

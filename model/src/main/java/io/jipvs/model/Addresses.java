package io.jipvs.model;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The one place that turns IP address text into addresses and back, with the C library's rules
 * (the ones ipvsadm and iproute2 expose to operators): {@code inet_aton}, {@code inet_pton} and
 * glibc's {@code inet_ntop} form. Only ASCII digits count, and nothing here ever looks a name up.
 * Addresses built from raw bytes keep their family: sixteen bytes always give an
 * {@link Inet6Address}, even {@code ::ffff:a.b.c.d}, which {@link InetAddress#getByAddress(byte[])}
 * would silently turn into IPv4.
 */
public final class Addresses {
    private Addresses() {
    }

    /**
     * The address of 4 or 16 raw bytes, without any name look-up and keeping the family.
     *
     * @param raw the address in network byte order
     * @return an {@link java.net.Inet4Address} for 4 bytes, an {@link Inet6Address} for 16
     * @throws IllegalArgumentException for any other length
     */
    public static InetAddress of(byte[] raw) {
        try {
            return raw.length == 16 ? Inet6Address.getByAddress(null, raw, -1) : InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + raw.length);
        }
    }

    /**
     * An IPv4 or IPv6 literal as inet_pton reads it (no prefix, no zone, no name), or null.
     *
     * @param text the literal
     * @return the address, or null when {@code text} is not a literal
     */
    public static InetAddress literal(String text) {
        byte[] raw = pton4(text);
        if (raw == null) {
            raw = pton6(text);
        }
        return raw == null ? null : of(raw);
    }

    /**
     * Whether an address is IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}).
     *
     * @param address any address
     * @return true for a sixteen-byte address of the form {@code ::ffff:a.b.c.d}
     */
    public static boolean isV4Mapped(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
    }

    /**
     * glibc's inet_aton: 1 to 4 parts separated by '.', each decimal, 0x-hex or 0-octal; the last
     * part fills the remaining bytes; the text may end at a blank. Null when invalid.
     *
     * @param s the text
     * @return the four address bytes, or null
     */
    public static byte[] aton(String s) {
        long[] parts = new long[4];
        int count = 0;
        int i = 0;
        int n = s.length();
        while (true) {
            if (i >= n || !isDigit(s.charAt(i))) {
                return null;
            }
            int base = 10;
            if (s.charAt(i) == '0') {
                if (i + 1 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
                    base = 16;
                    i += 2;
                } else {
                    base = 8;
                    i++;
                }
            }
            long v = 0;
            boolean any = base == 8; // a lone "0" is a value
            while (i < n) {
                int d = hexValue(s.charAt(i));
                if (d < 0 || d >= base) {
                    if (base == 8 && d >= 8 && d <= 9) {
                        return null; // "08" is no number at all
                    }
                    break;
                }
                v = v * base + d;
                if (v > 0xFFFF_FFFFL) {
                    return null;
                }
                any = true;
                i++;
            }
            if (!any || count >= 4) {
                return null;
            }
            parts[count++] = v;
            if (i < n && s.charAt(i) == '.') {
                if (count == 4) {
                    return null;
                }
                i++;
                continue;
            }
            if (i < n && !isBlank(s.charAt(i))) {
                return null;
            }
            break;
        }
        long value;
        switch (count) {
            case 1 -> value = parts[0];
            case 2 -> {
                if (parts[0] > 0xFF || parts[1] > 0xFFFFFF) {
                    return null;
                }
                value = parts[0] << 24 | parts[1];
            }
            case 3 -> {
                if (parts[0] > 0xFF || parts[1] > 0xFF || parts[2] > 0xFFFF) {
                    return null;
                }
                value = parts[0] << 24 | parts[1] << 16 | parts[2];
            }
            default -> {
                if (parts[0] > 0xFF || parts[1] > 0xFF || parts[2] > 0xFF || parts[3] > 0xFF) {
                    return null;
                }
                value = parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3];
            }
        }
        return new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value};
    }

    /**
     * inet_pton(AF_INET): exactly four decimal parts 0..255 without leading zeros. Null when invalid.
     *
     * @param s the text
     * @return the four address bytes, or null
     */
    public static byte[] pton4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        int n = s.length();
        while (true) {
            int start = i;
            int v = 0;
            while (i < n && isDigit(s.charAt(i))) {
                v = v * 10 + (s.charAt(i) - '0');
                if (i - start >= 3 || v > 255) {
                    return null;
                }
                i++;
            }
            if (i == start || (i - start > 1 && s.charAt(start) == '0')) {
                return null;
            }
            out[part++] = (byte) v;
            if (part == 4) {
                return i == n ? out : null;
            }
            if (i >= n || s.charAt(i) != '.') {
                return null;
            }
            i++;
        }
    }

    /**
     * inet_pton(AF_INET6): up to eight groups of 1-4 hex digits with at most one "::", the last
     * 32 bits optionally as a dotted quad (only at the very end). No zone ids. Null when invalid.
     *
     * @param s the text
     * @return the sixteen address bytes, or null
     */
    public static byte[] pton6(String s) {
        int dbl = s.indexOf("::");
        if (s.isEmpty() || (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0)) {
            return null;
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        // A dotted quad may only end the whole text: "1.2.3.4::" is not an address.
        int[] hw = groups(head, dbl < 0);
        int[] tw = dbl >= 0 ? groups(tail, true) : new int[0];
        if (hw == null || tw == null) {
            return null;
        }
        int total = hw.length + tw.length;
        if ((dbl < 0 && total != 8) || (dbl >= 0 && total > 7)) {
            return null;
        }
        byte[] out = new byte[16];
        for (int k = 0; k < hw.length; k++) {
            out[2 * k] = (byte) (hw[k] >> 8);
            out[2 * k + 1] = (byte) hw[k];
        }
        for (int k = 0; k < tw.length; k++) {
            int idx = 8 - tw.length + k;
            out[2 * idx] = (byte) (tw[k] >> 8);
            out[2 * idx + 1] = (byte) tw[k];
        }
        return out;
    }

    /** The 16-bit groups of one side of "::"; null when a group is malformed. */
    private static int[] groups(String side, boolean mayEndWithV4) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] g = side.split(":", -1);
        int[] words = new int[g.length + 1];
        int count = 0;
        for (int k = 0; k < g.length; k++) {
            String part = g[k];
            if (k == g.length - 1 && mayEndWithV4 && part.indexOf('.') >= 0) {
                byte[] v4 = pton4(part);
                if (v4 == null) {
                    return null;
                }
                words[count++] = (v4[0] & 0xFF) << 8 | (v4[1] & 0xFF);
                words[count++] = (v4[2] & 0xFF) << 8 | (v4[3] & 0xFF);
                continue;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int v = 0;
            for (int c = 0; c < part.length(); c++) {
                int d = hexValue(part.charAt(c));
                if (d < 0) {
                    return null;
                }
                v = v * 16 + d;
            }
            words[count++] = v;
        }
        return java.util.Arrays.copyOf(words, count);
    }

    /**
     * ADDRESS:PORT as URLs write it (an IPv6 address in brackets), literals only: how jipvs's own
     * options and API name an endpoint (ipvsadm's syntax, which resolves names, is the CLI's).
     *
     * @param text e.g. "10.0.0.11:80" or "[2001:db8::1]:80"
     * @return the address and port, or null when {@code text} is not that
     */
    public static java.net.InetSocketAddress hostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (pton6(host) == null) {
                return null;
            }
        } else if (host.indexOf(':') >= 0) {
            return null;
        }
        InetAddress address = literal(host);
        String port = text.substring(colon + 1);
        if (address == null || port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int p = Integer.parseInt(port);
        return p > 0xFFFF ? null : new java.net.InetSocketAddress(address, p);
    }

    /**
     * The text {@link #hostPort(String)} reads.
     *
     * @param address an address
     * @param port    a port
     * @return e.g. "[2001:db8::1]:80"
     */
    public static String hostPort(InetAddress address, int port) {
        String host = ntop(address);
        return (address.getAddress().length == 16 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * inet_ntop: dotted IPv4, or glibc's compressed lower-case IPv6 (the longest run of two or more
     * zero groups as "::", the first on a tie; mixed notation for IPv4-mapped and -compatible).
     *
     * @param address an IPv4 or IPv6 address
     * @return its text
     */
    public static String ntop(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
        }
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = (b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF);
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (w[i] == 0) {
                if (curBase < 0) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase >= 0) {
                if (bestBase < 0 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase >= 0 && (bestBase < 0 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase >= 0 && bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                sb.append(b[12] & 0xFF).append('.').append(b[13] & 0xFF).append('.')
                        .append(b[14] & 0xFF).append('.').append(b[15] & 0xFF);
                break;
            }
            sb.append(Integer.toHexString(w[i]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** 0-15 for an ASCII hex digit, else -1 (Character.digit would take any script's digits). */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }
}

package io.jipvs.cli.ipvsadm;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The C library conversions ipvsadm's input depends on, with their exact acceptance rules:
 * strtol (whole string, base 10), atoi, inet_aton (1-4 parts, hex/octal) and inet_pton.
 */
public final class CNumbers {
    private CNumbers() {
    }

    /**
     * ipvsadm's string_to_number: strtol base 10 must consume the whole non-empty string without
     * overflow (leading blanks and a sign are allowed), and the value must lie in min..max.
     * Returns Long.MIN_VALUE when rejected.
     */
    public static long stringToNumber(String s, long min, long max) {
        Long v = strtolWhole(s);
        if (v == null || v < min || v > max) {
            return Long.MIN_VALUE;
        }
        return v;
    }

    /** strtol(s, &end, 10) requiring *end == 0 and no ERANGE; null when rejected. */
    public static Long strtolWhole(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int start = i;
        long value = 0;
        boolean overflow = false;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            int d = s.charAt(i) - '0';
            if (!overflow) {
                if (value > (Long.MAX_VALUE - d) / 10) {
                    overflow = true; // ERANGE (the one value -2^63 is irrelevant to every range used)
                } else {
                    value = value * 10 + d;
                }
            }
            i++;
        }
        if (i == start || i != n || s.isEmpty() || overflow) {
            return null; // no digits, trailing junk, or ERANGE
        }
        return negative ? -value : value;
    }

    /** C atoi: leading blanks, sign, digits; anything else ends the number; 0 when none. */
    public static int atoi(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i) - '0');
            if (v > Integer.MAX_VALUE) {
                v = Integer.MAX_VALUE + 1L;
            }
            i++;
        }
        return (int) (negative ? -v : v);
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    /**
     * glibc inet_aton: 1 to 4 parts separated by '.', each decimal, 0x-hex or 0-octal; the last
     * part fills the remaining bytes; parsing stops at the first blank. Null when invalid.
     */
    public static byte[] inetAton(String s) {
        long[] parts = new long[4];
        int count = 0;
        int i = 0;
        int n = s.length();
        while (true) {
            if (i >= n || !Character.isDigit(s.charAt(i)) || s.charAt(i) > '9') {
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
                char c = s.charAt(i);
                int d;
                if (c >= '0' && c <= '9') {
                    d = c - '0';
                    if (base == 8 && d > 7) {
                        return null;
                    }
                } else if (base == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                    d = Character.toLowerCase(c) - 'a' + 10;
                } else {
                    break;
                }
                v = v * base + d;
                if (v > 0xFFFF_FFFFL) {
                    return null;
                }
                any = true;
                i++;
            }
            if (!any) {
                return null;
            }
            if (count >= 4) {
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
            if (i < n && !isSpace(s.charAt(i))) {
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

    /** inet_pton(AF_INET): exactly four decimal parts 0..255 without leading zeros. */
    public static byte[] inetPton4(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int k = 0; k < 4; k++) {
            String part = p[k];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int v = 0;
            for (char c : part.toCharArray()) {
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            out[k] = (byte) v;
        }
        return out;
    }

    /** inet_pton(AF_INET6), including a trailing dotted IPv4 part; no zone ids. */
    public static byte[] inetPton6(String s) {
        if (s.isEmpty()) {
            return null;
        }
        byte[] out = new byte[16];
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int[] hw = groups(head, dbl < 0 || tail.isEmpty());
        int[] tw = dbl >= 0 ? groups(tail, true) : new int[0];
        if (hw == null || tw == null) {
            return null;
        }
        int total = hw.length + tw.length;
        if ((dbl < 0 && total != 8) || (dbl >= 0 && total > 7)) {
            return null;
        }
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

    /** 16-bit groups of one side of "::"; a dotted quad may end the last side. */
    private static int[] groups(String side, boolean mayEndWithV4) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] g = side.split(":", -1);
        java.util.List<Integer> words = new java.util.ArrayList<>();
        for (int k = 0; k < g.length; k++) {
            String part = g[k];
            if (k == g.length - 1 && mayEndWithV4 && part.indexOf('.') >= 0) {
                byte[] v4 = inetPton4(part);
                if (v4 == null) {
                    return null;
                }
                words.add((v4[0] & 0xFF) << 8 | (v4[1] & 0xFF));
                words.add((v4[2] & 0xFF) << 8 | (v4[3] & 0xFF));
                continue;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int v = 0;
            for (char c : part.toCharArray()) {
                int d = Character.digit(c, 16);
                if (d < 0) {
                    return null;
                }
                v = v * 16 + d;
            }
            words.add(v);
        }
        return words.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * An InetAddress from raw bytes without any name look-up; 16 bytes always give an
     * Inet6Address (the JDK would turn ::ffff:a.b.c.d into an IPv4 address).
     */
    public static InetAddress address(byte[] raw) {
        try {
            return raw.length == 16 ? java.net.Inet6Address.getByAddress(null, raw, -1) : InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

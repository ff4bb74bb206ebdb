package io.jipvs.cli.ipvsadm;

/**
 * The C library number conversions ipvsadm's input depends on, with their exact acceptance rules:
 * strtol (whole string, base 10) and atoi. Addresses are {@link io.jipvs.model.Addresses}'s.
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
}

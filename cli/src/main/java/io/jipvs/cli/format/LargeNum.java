package io.jipvs.cli.format;

/** ipvsadm's print_largenum: 9 columns with K/M/G/T shortening, or exact with a leading space. */
public final class LargeNum {
    private LargeNum() {
    }

    /** {@code value} is an unsigned 64-bit counter. */
    public static String format(long value, boolean exact) {
        String digits = Long.toUnsignedString(value);
        if (exact) {
            int width = digits.length() <= 8 ? 9 : digits.length() + 1;
            return pad(digits, width);
        }
        if (Long.compareUnsigned(value, 100_000_000L) < 0) {
            return pad(digits, 9);
        }
        if (Long.compareUnsigned(value, 1_000_000_000L) < 0) {
            return pad(Long.toUnsignedString(Long.divideUnsigned(value, 1000)), 8) + "K";
        }
        if (Long.compareUnsigned(value, 100_000_000_000L) < 0) {
            return pad(Long.toUnsignedString(Long.divideUnsigned(value, 1_000_000)), 8) + "M";
        }
        if (Long.compareUnsigned(value, 100_000_000_000_000L) < 0) {
            return pad(Long.toUnsignedString(Long.divideUnsigned(value, 1_000_000_000)), 8) + "G";
        }
        return pad(Long.toUnsignedString(Long.divideUnsigned(value, 1_000_000_000_000L)), 8) + "T";
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}

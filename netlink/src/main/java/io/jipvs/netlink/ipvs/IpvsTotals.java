package io.jipvs.netlink.ipvs;

import io.jipvs.model.Stats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's IPVS counters over every service of a network namespace, which generic netlink
 * does not carry: {@code /proc/net/ip_vs_stats}, read through {@code /proc/thread-self} so that it
 * follows the calling thread's namespace (a thread that entered a director's namespace reads that
 * director's counters, where {@code /proc/net} would follow the process's).
 */
public final class IpvsTotals {
    static final Path FILE = Path.of("/proc/thread-self/net/ip_vs_stats");

    private IpvsTotals() {
    }

    /**
     * Reads the calling thread's namespace's counters.
     *
     * @return the counters and rates
     * @throws UncheckedIOException when the file cannot be read (no IPVS in the kernel)
     * @throws IllegalArgumentException when its content is not the kernel's layout
     */
    public static Stats read() {
        try {
            return parse(Files.readString(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the file: two header lines, the five counters, a blank line, a header line and the
     * five rates, every number in hexadecimal.
     *
     * @param text the file's content
     * @return the counters and rates
     * @throws IllegalArgumentException when the layout is not the kernel's
     */
    public static Stats parse(String text) {
        String[] lines = text.split("\n");
        if (lines.length < 6) {
            throw new IllegalArgumentException("ip_vs_stats: expected 6 lines, found " + lines.length);
        }
        long[] totals = numbers(lines[2]);
        long[] rates = numbers(lines[5]);
        return new Stats(totals[0], totals[1], totals[2], totals[3], totals[4],
                rates[0], rates[1], rates[2], rates[3], rates[4]);
    }

    private static long[] numbers(String line) {
        String[] words = line.strip().split("\\s+");
        if (words.length != 5) {
            throw new IllegalArgumentException("ip_vs_stats: expected 5 numbers in \"" + line.strip() + "\"");
        }
        long[] out = new long[5];
        for (int i = 0; i < 5; i++) {
            try {
                out[i] = Long.parseUnsignedLong(words[i], 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ip_vs_stats: not a hexadecimal number: " + words[i], e);
            }
        }
        return out;
    }
}

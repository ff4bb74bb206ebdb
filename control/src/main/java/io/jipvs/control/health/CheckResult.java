package io.jipvs.control.health;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * What one check found.
 *
 * @param ok      whether it passed
 * @param detail  a short reason ("connected", "status 503", "connect: Connection refused")
 * @param latency how long it took
 * @param weight  for an exec check with {@code dynamic}: the weight its exit code set
 */
public record CheckResult(boolean ok, String detail, Duration latency, OptionalInt weight) {

    /**
     * A pass.
     *
     * @param detail  what was seen
     * @param latency how long it took
     * @return the result
     */
    public static CheckResult pass(String detail, Duration latency) {
        return new CheckResult(true, detail, latency, OptionalInt.empty());
    }

    /**
     * A failure.
     *
     * @param detail  why
     * @param latency how long it took
     * @return the result
     */
    public static CheckResult fail(String detail, Duration latency) {
        return new CheckResult(false, detail, latency, OptionalInt.empty());
    }
}

package io.jipvs.control.health;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.OptionalInt;

/**
 * One real server's verdict from its check results: down after {@code fall} failures in a row,
 * up after {@code rise} successes in a row, and (keepalived's rule) down at the first failure
 * when nothing has passed yet and the server did not start down.
 */
public final class HealthState {
    /** Whether the server takes traffic as far as its checks know. */
    public enum Status {
        /** Passing. */
        UP,
        /** Failed. */
        DOWN
    }

    /** What a result changed. */
    public enum Transition {
        /** Nothing the table needs. */
        NONE,
        /** The server came up. */
        UP,
        /** The server went down. */
        DOWN,
        /** A dynamic weight changed while up. */
        WEIGHT
    }

    /**
     * A consistent copy of the state.
     *
     * @param status     up or down
     * @param failures   failures in a row
     * @param successes  successes in a row
     * @param last       the last result, or null before the first
     * @param since      when the status was last set
     * @param weight     the weight a dynamic exec check set, if any
     */
    public record Snapshot(Status status, int failures, int successes, CheckResult last, Instant since,
                           OptionalInt weight) {
    }

    /**
     * How long checks took, in buckets: counts per bucket (not cumulative), the last one above
     * every bound, and the sum, as a Prometheus histogram wants them.
     *
     * @param counts  results per bucket, {@link #DURATION_BOUNDS}'s length plus one
     * @param seconds the sum of every duration
     */
    public record Durations(long[] counts, double seconds) {
    }

    /** The buckets' upper bounds in seconds: a check's usual range from a LAN connect to a timeout. */
    public static final List<Double> DURATION_BOUNDS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0);
    private static final long[] BOUNDS_NANOS = DURATION_BOUNDS.stream()
            .mapToLong(b -> (long) (b * 1e9)).toArray();

    private Status status;
    private final long[] durationCounts = new long[BOUNDS_NANOS.length + 1];
    private long durationNanos;
    private int failures;
    private int successes;
    private boolean proven;
    private CheckResult last;
    private Instant since;
    private OptionalInt weight = OptionalInt.empty();

    /**
     * A state before any check.
     *
     * @param initial UP (keepalived's start), or DOWN (alpha, or a server the table does not hold)
     * @param now     the time
     */
    public HealthState(Status initial, Instant now) {
        this.status = initial;
        this.since = now;
        // A server that starts down must earn its way in; one that starts up falls at once if
        // its very first check fails (nothing has shown it works).
        this.proven = initial == Status.DOWN;
    }

    /**
     * Counts a result.
     *
     * @param r    the result
     * @param spec the check's counts
     * @param clock the time, read only when the state changes (thousands of results a second)
     * @return what changed
     */
    public synchronized Transition record(CheckResult r, CheckSpec spec, InstantSource clock) {
        last = r;
        long nanos = r.latency().toNanos();
        int b = 0;
        while (b < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[b]) {
            b++;
        }
        durationCounts[b]++;
        durationNanos += nanos;
        boolean first = !proven;
        proven = true;
        if (r.ok()) {
            successes++;
            failures = 0;
            OptionalInt before = weight;
            weight = r.weight();
            if (status == Status.DOWN && successes >= spec.rise()) {
                status = Status.UP;
                since = clock.instant();
                return Transition.UP;
            }
            return status == Status.UP && !before.equals(weight) ? Transition.WEIGHT : Transition.NONE;
        }
        failures++;
        successes = 0;
        if (status == Status.UP && (failures >= spec.fall() || first)) {
            status = Status.DOWN;
            since = clock.instant();
            return Transition.DOWN;
        }
        return Transition.NONE;
    }

    /**
     * When to check next: soon after a failure that has not yet taken the server down, else the
     * interval.
     *
     * @param spec the check
     * @return the delay
     */
    public synchronized Duration nextDelay(CheckSpec spec) {
        return status == Status.UP && failures > 0 ? spec.delayBeforeRetry() : spec.interval();
    }

    /**
     * A copy.
     *
     * @return the snapshot
     */
    public synchronized Snapshot snapshot() {
        return new Snapshot(status, failures, successes, last, since, weight);
    }

    /**
     * A copy of the check durations (kept apart from the snapshot, which every result makes).
     *
     * @return the durations
     */
    public synchronized Durations durations() {
        return new Durations(durationCounts.clone(), durationNanos / 1e9);
    }
}

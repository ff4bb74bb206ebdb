package io.jipvs.control.health;

import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The timers of one event loop, on a grid of {@link #SLOT_NANOS}: when each server's next check
 * starts and when a running check times out. Thousands of checks a second would otherwise keep a
 * priority queue of as many timers busy (an insertion, a removal and a cancellation per check,
 * each a logarithmic walk); here a timer goes into the bucket of its slot in constant time, one
 * tick of the loop every slot runs a bucket, and a timer no longer wanted is simply skipped when
 * its slot comes (its task checks whether it still matters).
 *
 * <p>The checks due in one slot start in one turn of the loop, and their connections' events
 * come back in one epoll_wait: some hundred wake-ups a second for thousands of checks, where
 * timers of their own would wake the loop twice per check. The ticks run only while a timer is
 * pending. Only the loop's own thread touches the buckets.
 */
final class Slots {
    /** The grid: a timer fires within this of its time (timer slack, like the kernel's). */
    static final long SLOT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Buckets in one turn of the wheel: 5.12 s; a later timer waits out its turns in its bucket. */
    private static final int SIZE = 512;

    private record Timer(long slot, Runnable task) {
    }

    private final EventLoop loop;
    private final ArrayDeque<Timer>[] buckets;
    /** The last slot whose bucket has run. */
    private long done = slotOf(System.nanoTime()) - 1;
    private int pending;
    private ScheduledFuture<?> ticks;

    Slots(EventLoop loop) {
        this(loop, SIZE);
    }

    /** With {@code size} buckets a turn (a test's short wheel). */
    @SuppressWarnings("unchecked")
    Slots(EventLoop loop, int size) {
        this.loop = loop;
        this.buckets = new ArrayDeque[size];
        for (int i = 0; i < size; i++) {
            buckets[i] = new ArrayDeque<>();
        }
    }

    /**
     * Runs {@code task} on the loop in the slot nearest {@code delay} from now: by half a slot
     * sooner or later at most, on average on time (a check's rhythm).
     *
     * @param delay nanoseconds from now
     * @param task  what to run
     */
    void near(long delay, Runnable task) {
        nearAt(System.nanoTime() + delay, task);
    }

    /**
     * {@link #near} for a time already known: the clock is read as little as possible (on a
     * machine whose clock source is not the TSC, every read is a system call).
     *
     * @param at   a System.nanoTime() value
     * @param task what to run
     */
    void nearAt(long at, Runnable task) {
        add(slotOf(at + SLOT_NANOS / 2), task);
    }

    /**
     * Runs {@code task} on the loop in the first slot at or after {@code delay} from now: never
     * sooner, by one slot later at most (a timeout).
     *
     * @param delay nanoseconds from now
     * @param task  what to run
     */
    void after(long delay, Runnable task) {
        afterAt(System.nanoTime() + delay, task);
    }

    /**
     * {@link #after} for a time already known.
     *
     * @param at   a System.nanoTime() value
     * @param task what to run
     */
    void afterAt(long at, Runnable task) {
        add(Math.floorDiv(at + SLOT_NANOS - 1, SLOT_NANOS), task);
    }

    /** Whether the loop ticks (some timer is pending); for tests. */
    boolean ticking() {
        return ticks != null;
    }

    static long slotOf(long nanos) {
        return Math.floorDiv(nanos, SLOT_NANOS);
    }

    private void add(long slot, Runnable task) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> add(slot, task));
            return;
        }
        // A slot already run (a timer due now): the next tick.
        long s = Math.max(slot, done + 1);
        buckets[(int) Math.floorMod(s, (long) buckets.length)].add(new Timer(s, task));
        if (pending++ == 0) {
            ticks = loop.scheduleAtFixedRate(this::tick, nanosToNextSlot(), SLOT_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    private static long nanosToNextSlot() {
        long now = System.nanoTime();
        return (slotOf(now) + 1) * SLOT_NANOS - now;
    }

    /** Runs every bucket up to the current slot (more than one when the loop fell behind). */
    private void tick() {
        long now = slotOf(System.nanoTime());
        while (done < now && pending > 0) {
            done++;
            ArrayDeque<Timer> bucket = buckets[(int) Math.floorMod(done, (long) buckets.length)];
            // Timers added while the bucket runs go to later slots, never to this one.
            for (int n = bucket.size(); n > 0; n--) {
                Timer t = bucket.poll();
                if (t.slot() > done) {
                    bucket.add(t); // a later turn of the wheel
                    continue;
                }
                pending--;
                try {
                    t.task().run();
                } catch (RuntimeException e) {
                    // The tasks report their own failures (a check's is its result); what escapes
                    // must neither skip the rest of the bucket nor end the periodic tick.
                }
            }
        }
        done = Math.max(done, now);
        if (pending == 0 && ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
    }
}

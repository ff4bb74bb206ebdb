package io.jipvs.control.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The check timers' wheel on a real event loop: when timers fire, never before their time. */
class SlotsTest {
    static final long SLOT = Slots.SLOT_NANOS;
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aCheckStartsNoMoreThanHalfASlotBeforeItsTimeAndATimeoutNeverBefore() throws Exception {
        Slots slots = new Slots(loop);
        int n = 200;
        long[] asked = new long[n];
        long[] ran = new long[n];
        CountDownLatch all = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            long delay = (i % 50) * MS + (i % 7) * 100_000;
            boolean timeout = i % 2 == 0;
            loop.execute(() -> {
                asked[k] = System.nanoTime() + delay;
                Runnable task = () -> {
                    ran[k] = System.nanoTime();
                    all.countDown();
                };
                if (timeout) {
                    slots.after(delay, task);
                } else {
                    slots.near(delay, task);
                }
            });
        }
        assertTrue(all.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < n; i++) {
            long early = i % 2 == 0 ? 0 : SLOT / 2;
            assertTrue(ran[i] >= asked[i] - early, "timer " + i + " ran " + (asked[i] - ran[i]) + " ns early");
        }
    }

    @Test
    void aTimerBeyondOneTurnOfTheWheelWaitsOutItsTurns() throws Exception {
        Slots slots = new Slots(loop, 4); // a turn of 40 ms
        CountDownLatch fired = new CountDownLatch(1);
        long[] at = new long[2];
        loop.execute(() -> {
            at[0] = System.nanoTime();
            slots.after(100 * MS, () -> {
                at[1] = System.nanoTime();
                fired.countDown();
            });
        });
        assertTrue(fired.await(5, TimeUnit.SECONDS));
        assertTrue(at[1] - at[0] >= 100 * MS, "fired after " + (at[1] - at[0]) / MS + " ms");
    }

    @Test
    void aFailingTaskNeitherSkipsTheOthersInItsSlotNorStopsTheTicks() throws Exception {
        Slots slots = new Slots(loop);
        List<String> ran = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            slots.after(20 * MS, () -> ran.add("first"));
            slots.after(20 * MS, () -> {
                throw new IllegalStateException("boom");
            });
            slots.after(20 * MS, () -> ran.add("third"));
            slots.after(60 * MS, () -> {
                ran.add("later");
                done.countDown();
            });
        });
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("first", "third", "later"), loop.submit(() -> List.copyOf(ran)).get());
    }

    @Test
    void theLoopTicksOnlyWhileATimerIsPending() throws Exception {
        Slots slots = new Slots(loop);
        CountDownLatch fired = new CountDownLatch(1);
        loop.execute(() -> slots.after(0, fired::countDown));
        assertTrue(fired.await(5, TimeUnit.SECONDS));
        assertFalse(loop.submit(slots::ticking).get(), "no tick once the last timer ran");
        loop.execute(() -> slots.after(TimeUnit.SECONDS.toNanos(30), () -> { }));
        assertTrue(loop.submit(slots::ticking).get());
    }

    @Test
    void timersAddedFromAnotherThreadRunOnTheLoop() throws Exception {
        Slots slots = new Slots(loop);
        CountDownLatch fired = new CountDownLatch(1);
        boolean[] onLoop = new boolean[1];
        slots.near(5 * MS, () -> {
            onLoop[0] = loop.inEventLoop();
            fired.countDown();
        });
        assertTrue(fired.await(5, TimeUnit.SECONDS));
        assertTrue(onLoop[0]);
    }
}

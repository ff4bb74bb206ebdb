package io.jipvs.it.realserver;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition every 50 ms instead of sleeping a guessed time. */
final class Await {
    private Await() {
    }

    /** Waits until {@code condition} holds; fails after {@code limit}, saying what was awaited and {@code context}. */
    static void until(String what, Duration limit, BooleanSupplier condition, Supplier<String> context)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what + context.get());
            }
            Thread.sleep(50);
        }
    }
}

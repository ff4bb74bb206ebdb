package io.jipvs.control.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {
    static final long SLOT = HealthMonitor.SLOT_NANOS;

    @Test
    void aCheckStartsOnTheSlotNearestItsTime() {
        assertEquals(0, HealthMonitor.untilSlot(0, SLOT / 2 - 1));
        assertEquals(SLOT, HealthMonitor.untilSlot(0, SLOT / 2));
        assertEquals(SLOT - 3, HealthMonitor.untilSlot(3, SLOT + 6));
        assertEquals(0, HealthMonitor.untilSlot(3, 0), "due now, with the slot just past: at once, not in the past");
    }

    @Test
    void checksDueWithinOneSlotStartTogetherWhateverTheClocksSignAndNoneMovesMoreThanHalfASlot() {
        long drift = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            long now = ThreadLocalRandom.current().nextLong(-1L << 62, 1L << 62);
            long delay = ThreadLocalRandom.current().nextLong(SLOT, 5_000_000_000L);
            long d = HealthMonitor.untilSlot(now, delay);
            assertTrue(Math.abs(d - delay) <= SLOT / 2, () -> now + " + " + delay + " -> " + d);
            assertEquals(0, Math.floorMod(now + d, SLOT), "on the grid");
            drift += d - delay;
        }
        assertTrue(Math.abs(drift / n) < SLOT / 50, "on average a check keeps its time: " + drift / n + " ns");
    }
}

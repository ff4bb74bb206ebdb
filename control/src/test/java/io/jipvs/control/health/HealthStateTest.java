package io.jipvs.control.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class HealthStateTest {
    static final Instant T = Instant.parse("2026-12-03T10:00:00Z");
    static final CheckSpec TCP = new CheckSpec(CheckType.TCP, Duration.ofSeconds(5), Duration.ofSeconds(1), 3, 2,
            Duration.ofMillis(500), Duration.ZERO, false, null, 0, null, null, null, null, null);

    static InstantSource at(Instant t) {
        return InstantSource.fixed(t);
    }

    static CheckResult pass() {
        return CheckResult.pass("ok", Duration.ZERO);
    }

    static CheckResult fail() {
        return CheckResult.fail("refused", Duration.ZERO);
    }

    @Test
    void aServerThatStartsUpFallsAtItsVeryFirstFailureAsKeepalivedsDo() {
        HealthState s = new HealthState(HealthState.Status.UP, T);
        assertEquals(HealthState.Transition.DOWN, s.record(fail(), TCP, at(T)));
    }

    @Test
    void onceProvenItFallsOnlyAfterFallFailuresInARowRetryingSooner() {
        HealthState s = new HealthState(HealthState.Status.UP, T);
        s.record(pass(), TCP, at(T));
        assertEquals(HealthState.Transition.NONE, s.record(fail(), TCP, at(T)));
        assertEquals(Duration.ofMillis(500), s.nextDelay(TCP), "delayBeforeRetry while not yet down");
        assertEquals(HealthState.Transition.NONE, s.record(fail(), TCP, at(T)));
        assertEquals(HealthState.Transition.DOWN, s.record(fail(), TCP, at(T.plusSeconds(1))));
        assertEquals(T.plusSeconds(1), s.snapshot().since());
        assertEquals(Duration.ofSeconds(5), s.nextDelay(TCP), "the interval once down");
    }

    @Test
    void aSuccessResetsTheFailureCount() {
        HealthState s = new HealthState(HealthState.Status.UP, T);
        s.record(pass(), TCP, at(T));
        s.record(fail(), TCP, at(T));
        s.record(fail(), TCP, at(T));
        s.record(pass(), TCP, at(T));
        assertEquals(HealthState.Transition.NONE, s.record(fail(), TCP, at(T)));
    }

    @Test
    void aDownServerRisesAfterRiseSuccessesInARow() {
        HealthState s = new HealthState(HealthState.Status.DOWN, T);
        assertEquals(HealthState.Transition.NONE, s.record(pass(), TCP, at(T)), "a server that starts down is not"
                + " taken at its first pass when rise is 2");
        assertEquals(HealthState.Transition.NONE, s.record(fail(), TCP, at(T)));
        assertEquals(HealthState.Transition.NONE, s.record(pass(), TCP, at(T)));
        assertEquals(HealthState.Transition.UP, s.record(pass(), TCP, at(T)));
    }

    @Test
    void aDynamicWeightChangeWhileUpIsReported() {
        HealthState s = new HealthState(HealthState.Status.UP, T);
        CheckResult w5 = new CheckResult(true, "exit 7", Duration.ZERO, java.util.OptionalInt.of(5));
        assertEquals(HealthState.Transition.WEIGHT, s.record(w5, TCP, at(T)));
        assertEquals(HealthState.Transition.NONE, s.record(w5, TCP, at(T)));
        assertEquals(5, s.snapshot().weight().getAsInt());
    }
}

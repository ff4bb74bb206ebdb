package io.jipvs.control.desired;

import io.jipvs.control.health.CheckSpec;
import io.jipvs.model.Destination;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@code jipvs serve} keeps one service's real servers: their checks and what a failure does
 * (docs/serve.md). {@code jipvs apply} ignores it and applies the configured weights.
 *
 * @param quorum          the sum of healthy weights the service needs (keepalived {@code quorum}, 1)
 * @param hysteresis      quorum is gained at {@code quorum + hysteresis} and lost below
 *                        {@code quorum - hysteresis} (keepalived {@code hysteresis}, 0)
 * @param sorryServer     the real server that takes the service's traffic while quorum is lost, or null
 * @param quorumUp        the program run when quorum is gained, or empty
 * @param quorumDown      the program run when quorum is lost, or empty
 * @param depoolThreshold the largest share (0..1) of the service's checked real servers taken out
 *                        for failing checks at once; the rest stay in, reported as failed
 * @param realServers     each real server's check and failure handling, by real server
 */
public record Supervision(long quorum, long hysteresis, Destination sorryServer, List<String> quorumUp,
                          List<String> quorumDown, double depoolThreshold, Map<RealServerKey, Policy> realServers) {

    /**
     * Copies the collections.
     *
     * @param quorum          the quorum
     * @param hysteresis      the hysteresis
     * @param sorryServer     the sorry server, or null
     * @param quorumUp        the up hook, or empty
     * @param quorumDown      the down hook, or empty
     * @param depoolThreshold the depool share
     * @param realServers     the policies
     */
    public Supervision {
        quorumUp = List.copyOf(quorumUp);
        quorumDown = List.copyOf(quorumDown);
        realServers = Map.copyOf(realServers);
        if (depoolThreshold < 0 || depoolThreshold > 1) {
            throw new IllegalArgumentException("depoolThreshold must be 0..1");
        }
    }

    /**
     * One real server's check and what its failure does.
     *
     * @param check            the check (the service's, or its own), or null for none: always up
     * @param inhibitOnFailure on failure set weight 0 instead of deleting it (keepalived
     *                         {@code inhibit_on_failure})
     * @param slowStart        when it comes back, raise its weight to the configured one over this
     *                         time, in steps; zero for at once
     * @param notifyUp         the program run when it comes up, or empty (keepalived {@code notify_up})
     * @param notifyDown       the program run when it goes down, or empty (keepalived {@code notify_down})
     */
    public record Policy(CheckSpec check, boolean inhibitOnFailure, Duration slowStart, List<String> notifyUp,
                         List<String> notifyDown) {
        /**
         * Copies the lists.
         *
         * @param check            the check, or null
         * @param inhibitOnFailure weight 0 instead of deletion
         * @param slowStart        the ramp, zero for none
         * @param notifyUp         the up hook
         * @param notifyDown       the down hook
         */
        public Policy {
            Objects.requireNonNull(slowStart, "slowStart");
            notifyUp = List.copyOf(notifyUp);
            notifyDown = List.copyOf(notifyDown);
        }
    }
}

package io.jipvs.model;

import java.util.Objects;

/** A destination as the kernel reports it: configuration, connection counts and counters. */
public record DestinationEntry(Destination destination, long activeConnections, long inactiveConnections,
                               long persistentConnections, Stats stats) {

    /**
     * Checks the values; null stats mean {@link Stats#ZERO}.
     *
     * @param destination           the configuration
     * @param activeConnections     connections in ESTABLISHED state
     * @param inactiveConnections   other connections
     * @param persistentConnections persistence templates
     * @param stats                 counters, null = zero
     * @throws NullPointerException without a destination
     */
    public DestinationEntry {
        Objects.requireNonNull(destination, "destination");
        stats = stats == null ? Stats.ZERO : stats;
    }
}

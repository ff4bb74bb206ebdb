package io.jipvs.model;

import java.util.Objects;

/** A destination as the kernel reports it: configuration, connection counts and counters. */
public record DestinationEntry(Destination destination, long activeConnections, long inactiveConnections,
                               long persistentConnections, Stats stats) {

    public DestinationEntry {
        Objects.requireNonNull(destination, "destination");
        stats = stats == null ? Stats.ZERO : stats;
    }
}

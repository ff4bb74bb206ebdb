package io.jipvs.model;

import java.util.Objects;

/** A service as the kernel reports it: its configuration and its counters. */
public record ServiceEntry(Service service, Stats stats) {

    public ServiceEntry {
        Objects.requireNonNull(service, "service");
        stats = stats == null ? Stats.ZERO : stats;
    }

    public ServiceKey key() {
        return service.key();
    }
}

package io.jipvs.model;

import java.util.Objects;

/** A service as the kernel reports it: its configuration and its counters. */
public record ServiceEntry(Service service, Stats stats) {

    /**
     * Checks the values; null stats mean {@link Stats#ZERO}.
     *
     * @param service the configuration
     * @param stats   counters, null = zero
     * @throws NullPointerException without a service
     */
    public ServiceEntry {
        Objects.requireNonNull(service, "service");
        stats = stats == null ? Stats.ZERO : stats;
    }

    /**
     * The service's identity.
     *
     * @return the key of {@link #service()}
     */
    public ServiceKey key() {
        return service.key();
    }
}

package io.jipvs.control.desired;

import io.jipvs.model.ServiceKey;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A desired state with what {@code jipvs serve} adds to it: how each service's real servers are
 * checked, and how often the kernel is compared with the file.
 *
 * @param state          the table
 * @param supervision    each service's checks and policies, by service (every service has one)
 * @param repairInterval how often serve compares the kernel with what it wants and repairs it
 */
public record Supervised(DesiredState state, Map<ServiceKey, Supervision> supervision, Duration repairInterval) {

    /** How often serve looks for drift unless the file says. */
    public static final Duration DEFAULT_REPAIR_INTERVAL = Duration.ofSeconds(60);

    /**
     * Copies the map.
     *
     * @param state          the table
     * @param supervision    the policies
     * @param repairInterval the repair interval
     */
    public Supervised {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(repairInterval, "repairInterval");
        supervision = Map.copyOf(supervision);
    }
}

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
 * @param syncPair       the sync daemons serve runs by the director's role, or null (then
 *                       {@code state.syncDaemons()} decides, as for apply)
 */
public record Supervised(DesiredState state, Map<ServiceKey, Supervision> supervision, Duration repairInterval,
                         SyncPair syncPair) {

    /** How often serve looks for drift unless the file says. */
    public static final Duration DEFAULT_REPAIR_INTERVAL = Duration.ofSeconds(60);

    /**
     * Copies the map.
     *
     * @param state          the table
     * @param supervision    the policies
     * @param repairInterval the repair interval
     * @param syncPair       the role-driven sync daemons, or null
     */
    public Supervised {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(repairInterval, "repairInterval");
        supervision = Map.copyOf(supervision);
        if (syncPair != null && state.syncDaemons() != null) {
            throw new IllegalArgumentException("syncDaemon and syncDaemons exclude each other");
        }
    }

    /**
     * A file without a role-driven sync pair.
     *
     * @param state          the table
     * @param supervision    the policies
     * @param repairInterval the repair interval
     */
    public Supervised(DesiredState state, Map<ServiceKey, Supervision> supervision, Duration repairInterval) {
        this(state, supervision, repairInterval, null);
    }

    /**
     * The table for a role: the file's, with the pair's daemons for that role when the file has a
     * {@code syncDaemon} block.
     *
     * @param role the director's role
     * @return the table
     */
    public DesiredState stateFor(DirectorRole role) {
        return syncPair == null ? state
                : new DesiredState(state.services(), state.timeouts(), syncPair.daemons(role), state.sysctls());
    }
}

package io.jipvs.control.desired;

import io.jipvs.model.ServiceKey;
import java.util.Objects;

/**
 * A real server as a member of one service: what health, weights and events are kept for.
 *
 * @param service    the service
 * @param realServer the real server within it
 */
public record Member(ServiceKey service, RealServerKey realServer) {
    /**
     * Checks the values.
     *
     * @param service    the service
     * @param realServer the real server
     */
    public Member {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(realServer, "realServer");
    }

    @Override
    public String toString() {
        return realServer + " of " + service;
    }
}

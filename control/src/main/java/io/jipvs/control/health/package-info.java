/**
 * Health checks of real servers: what a check is ({@link io.jipvs.control.health.CheckSpec}), one
 * checker per kind ({@code tcp}, {@code http}/{@code https}, {@code udp}, {@code dns}, {@code exec}),
 * the per-server verdict with fall and rise counts ({@link io.jipvs.control.health.HealthState}),
 * and the monitor that runs thousands of them on two event-loop threads
 * ({@link io.jipvs.control.health.HealthMonitor}). Nothing here touches the IPVS table.
 */
package io.jipvs.control.health;

package io.jipvs.model;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A connection-synchronisation daemon. When starting one, zero/null optional fields let the
 * kernel choose (group 224.0.0.81, port 8848, ttl 1, maxlen from the MTU).
 *
 * @param interfaceName multicast interface (at most 15 characters)
 * @param syncId        sync id
 * @param maxLength     maximum sync message length, 0 = kernel default
 * @param group         multicast group (IPv4 or IPv6), null = kernel default
 * @param port          UDP port, 0 = kernel default
 * @param ttl           multicast TTL, 0 = kernel default
 */
public record SyncDaemon(SyncState state, String interfaceName, int syncId, int maxLength, InetAddress group,
                         int port, int ttl) {

    /**
     * Checks the values.
     *
     * @param state         master or backup
     * @param interfaceName multicast interface (at most 15 characters)
     * @param syncId        sync id
     * @param maxLength     maximum sync message length, 0 = kernel default
     * @param group         multicast group, null = kernel default
     * @param port          UDP port, 0 = kernel default
     * @param ttl           multicast TTL, 0 = kernel default
     * @throws NullPointerException     without state or interface name
     * @throws IllegalArgumentException for a long interface name, or maxlen, port or ttl out of range
     */
    public SyncDaemon {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (interfaceName.length() > 15) {
            throw new IllegalArgumentException("interface name too long: " + interfaceName);
        }
        if (maxLength < 0 || maxLength > 0xFFFF || port < 0 || port > 0xFFFF || ttl < 0 || ttl > 0xFF) {
            throw new IllegalArgumentException("maxlen, port or ttl out of range");
        }
        if (group != null) {
            AddressFamily.of(group);
        }
    }

    /**
     * A daemon with kernel defaults for everything but role, interface and sync id.
     *
     * @param state         master or backup
     * @param interfaceName multicast interface
     * @param syncId        sync id
     * @return the daemon
     */
    public static SyncDaemon of(SyncState state, String interfaceName, int syncId) {
        return new SyncDaemon(state, interfaceName, syncId, 0, null, 0, 0);
    }
}

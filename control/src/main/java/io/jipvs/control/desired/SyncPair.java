package io.jipvs.control.desired;

import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The kernel's connection-sync daemons of an active/standby director pair (serve's
 * {@code syncDaemon} block): one multicast channel, whose daemons run as the director's role says.
 *
 * <p>A master runs the sending daemon and also the receiving one: when the peer takes over and
 * later hands back, the connections it made meanwhile come back with the VIP. A backup and a
 * faulty director only receive. Zero fields are the kernel's defaults.
 *
 * @param interfaceName the multicast interface
 * @param syncId        the sync id both directors share (0..255)
 * @param maxLength     the largest sync message, or 0
 * @param group         the multicast group, or null for the kernel's (224.0.0.81)
 * @param port          the UDP port, or 0 for the kernel's (8848)
 * @param ttl           the multicast TTL, or 0 for the kernel's (1)
 * @param vip           the VRRP VIP whose presence on this director makes it master (serve looks
 *                      every second), or null when the role comes from {@code jipvs ctl role}
 */
public record SyncPair(String interfaceName, int syncId, int maxLength, InetAddress group, int port, int ttl,
                       InetAddress vip) {

    /**
     * Checks the interface is named.
     *
     * @param interfaceName the interface
     * @param syncId        the sync id
     * @param maxLength     the message size, or 0
     * @param group         the group, or null
     * @param port          the port, or 0
     * @param ttl           the TTL, or 0
     * @param vip           the VIP followed, or null
     */
    public SyncPair {
        Objects.requireNonNull(interfaceName, "interfaceName");
    }

    /**
     * One daemon of the channel.
     *
     * @param state master (sends) or backup (receives)
     * @return the daemon
     */
    public SyncDaemon daemon(SyncState state) {
        return new SyncDaemon(state, interfaceName, syncId, maxLength, group, port, ttl);
    }

    /**
     * The daemons that run in a role.
     *
     * @param role the director's role
     * @return master and backup for a master, the backup alone otherwise
     */
    public List<SyncDaemon> daemons(DirectorRole role) {
        return role == DirectorRole.MASTER ? List.of(daemon(SyncState.MASTER), daemon(SyncState.BACKUP))
                : List.of(daemon(SyncState.BACKUP));
    }
}

package io.jipvs.control.desired;

import java.util.Locale;

/**
 * A director's place in an active/standby pair, as its VRRP engine (keepalived) reports it
 * through {@code notify_master}, {@code notify_backup} and {@code notify_fault}.
 */
public enum DirectorRole {
    /** Holds the VIPs: sends its connections to the peer, and receives them for fail-back. */
    MASTER,
    /** Stands by: receives the master's connections. */
    BACKUP,
    /** Cannot serve (keepalived's FAULT): receives, as a backup does, so it is ready when healed. */
    FAULT;

    /**
     * The word the API, the command line and the log use.
     *
     * @return e.g. "master"
     */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role with this word.
     *
     * @param word "master", "backup" or "fault"
     * @return the role
     * @throws IllegalArgumentException for another word
     */
    public static DirectorRole of(String word) {
        for (DirectorRole r : values()) {
            if (r.word().equals(word)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + word + "' (master, backup or fault)");
    }
}

package io.jipvs.model;

import java.util.Optional;

/** Role of a connection-synchronisation daemon (IP_VS_STATE_*). */
public enum SyncState {
    /** Sends connection state (IP_VS_STATE_MASTER). */
    MASTER(1),
    /** Receives connection state (IP_VS_STATE_BACKUP). */
    BACKUP(2);

    private final int code;

    SyncState(int code) {
        this.code = code;
    }

    /**
     * The IP_VS_STATE_* value.
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    private static final SyncState[] ALL = values(); // values() copies the array on every call

    /**
     * The state with this IP_VS_STATE_* value.
     *
     * @param code the value
     * @return the state, or empty
     */
    public static Optional<SyncState> ofCode(int code) {
        for (SyncState s : ALL) {
            if (s.code == code) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}

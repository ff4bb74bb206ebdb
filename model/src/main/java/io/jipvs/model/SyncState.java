package io.jipvs.model;

import java.util.Optional;

/** Role of a connection-synchronisation daemon (IP_VS_STATE_*). */
public enum SyncState {
    MASTER(1),
    BACKUP(2);

    private final int code;

    SyncState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    private static final SyncState[] ALL = values(); // values() copies the array on every call

    public static Optional<SyncState> ofCode(int code) {
        for (SyncState s : ALL) {
            if (s.code == code) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}

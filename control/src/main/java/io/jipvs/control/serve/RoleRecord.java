package io.jipvs.control.serve;

import io.jipvs.control.desired.DirectorRole;
import io.jipvs.control.host.StateStore;
import java.nio.file.Path;

/**
 * The director's role as its VRRP engine last reported it, kept beside the ownership record:
 * keepalived tells a role once, on a change, so a serve restarted meanwhile must not forget it
 * (and stop its sync master). {@code /run} empties at boot, when keepalived reports afresh.
 */
final class RoleRecord {
    static final String ROLE = "role";

    private RoleRecord() {
    }

    /** The recorded role, or null when none was reported. */
    static DirectorRole load(Path stateDir) {
        try (StateStore store = StateStore.openLocked(stateDir, ROLE)) {
            String text = store.loadText();
            if (text == null) {
                return null;
            }
            try {
                return DirectorRole.of(text.strip());
            } catch (IllegalArgumentException e) {
                throw store.damaged(e);
            }
        }
    }

    /** Records it. */
    static void save(Path stateDir, DirectorRole role) {
        try (StateStore store = StateStore.openLocked(stateDir, ROLE)) {
            store.saveText(role.word() + "\n");
        }
    }
}

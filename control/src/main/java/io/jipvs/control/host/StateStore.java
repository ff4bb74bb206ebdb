package io.jipvs.control.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The state file of one role in one network namespace:
 * {@code DIR/ROLE-net-INODE.state}, DIR being /run/jipvs by default.
 *
 * <p>/run is a tmpfs, emptied at boot, and so are the things recorded: addresses and sysctls
 * do not survive a reboot either, so a state file that did would describe changes that no
 * longer exist. Several namespaces share one /run (ip netns exec keeps it), hence the
 * namespace's inode in the name.
 */
public final class StateStore {
    /** Where state files live unless told otherwise. */
    public static final Path DEFAULT_DIR = Path.of("/run/jipvs");

    private final Path file;

    private StateStore(Path file) {
        this.file = file;
    }

    /**
     * The store for {@code role} in the network namespace of the calling thread.
     *
     * @param dir  the directory
     * @param role e.g. "rs" or "director"
     * @return the store
     */
    public static StateStore forCurrentNamespace(Path dir, String role) {
        return new StateStore(dir.resolve(role + "-" + namespaceId() + ".state"));
    }

    /**
     * The calling thread's network namespace.
     *
     * @return e.g. "net-4026531840" (its inode)
     */
    public static String namespaceId() {
        try {
            // thread-self, not self: after setns only this thread is in the target namespace.
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
            return link.replace(":[", "-").replace("]", "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot identify the network namespace: " + e.getMessage(), e);
        }
    }

    /**
     * The state file.
     *
     * @return its path
     */
    public Path file() {
        return file;
    }

    /**
     * Reads the state.
     *
     * @return the recorded state, {@link State#EMPTY} without a file
     * @throws PlanException when the file is damaged
     */
    public State load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return State.EMPTY;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return State.decode(text);
        } catch (IllegalArgumentException e) {
            throw new PlanException("state file " + file + " is damaged (" + e.getMessage() + "); fix or remove it");
        }
    }

    /**
     * Writes the state atomically; an empty state removes the file.
     *
     * @param state the state
     */
    public void save(State state) {
        try {
            if (state.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, state.encode(), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}

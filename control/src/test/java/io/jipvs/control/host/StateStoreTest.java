package io.jipvs.control.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.model.Addresses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where root keeps its records, and what it refuses. These tests run as root (CI and the build
 * machine do), so a directory they create is root's; "someone else's" is made with chown to 65534.
 */
class StateStoreTest {
    private static final String KEY = "4096";
    private static final State ONE_VIP = new State(
            List.of(new State.VipRecord(Addresses.literal("10.0.0.100"), Mode.DR, "lo", true)),
            List.of(new State.SysctlRecord("net/ipv4/conf/all/arp_ignore", 0, 1)), List.of());

    @TempDir
    Path tmp;
    Path dir;
    Path victim;

    @BeforeEach
    void paths() throws IOException {
        assertEquals(0, (Integer) Files.getAttribute(tmp, "unix:uid"), "these tests run as root");
        dir = tmp.resolve("state");
        victim = tmp.resolve("victim");
        Files.writeString(victim, "precious\n");
    }

    private String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private String refusal(Runnable r) {
        return assertThrows(PlanException.class, r::run).getMessage();
    }

    @Test
    void aMissingDirectoryIsCreatedPrivateAndFilesAreRootsAlone() throws IOException {
        try (StateStore store = StateStore.openLocked(dir, "rs", KEY)) {
            assertEquals("rwx------", mode(dir));
            assertEquals(dir.resolve("rs-4096.state"), store.file());
            assertEquals(State.EMPTY, store.load());
            store.save(ONE_VIP);
            assertEquals(ONE_VIP, store.load());
            assertEquals("rw-------", mode(store.file()));
            assertEquals(List.of("helpers-4096.lock", "rs-4096.state"), names(dir), "no temporary file left");
            store.save(State.EMPTY);
            assertFalse(Files.exists(store.file()), "an empty record is no file");
        }
        assertEquals(State.EMPTY, StateStore.read(dir, "rs", KEY));
    }

    @Test
    void readingCreatesNothingAndNeedsNoLock() throws IOException {
        assertEquals(State.EMPTY, StateStore.read(dir, "rs", KEY));
        assertFalse(Files.exists(dir));
        try (StateStore store = StateStore.openLocked(dir, "rs", KEY)) {
            store.save(ONE_VIP);
            assertEquals(ONE_VIP, StateStore.read(dir, "rs", KEY), "a reader does not wait for the lock holder");
        }
        assertEquals(State.EMPTY, StateStore.read(dir, "director", KEY));
        assertEquals(State.EMPTY, StateStore.read(dir, "rs", "4097"), "another namespace, another record");
    }

    @Test
    void aDirectoryThatIsASymbolicLinkIsRefused() throws IOException {
        Path real = Files.createDirectory(tmp.resolve("real"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(dir, real);
        String why = refusal(() -> StateStore.openLocked(dir, "rs", KEY).close());
        assertEquals("state directory " + dir + " is a symbolic link; refusing it: jipvs keeps root's records only in"
                + " a real directory owned by root and writable by nobody else (default /run/jipvs)", why);
        assertTrue(refusal(() -> StateStore.read(dir, "rs", KEY)).contains("is a symbolic link"));
        assertEquals(List.of(), names(real), "nothing written through the link");
    }

    @Test
    void aDirectoryOthersCanWriteOrOwnIsRefused() throws IOException {
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
        assertTrue(refusal(() -> StateStore.openLocked(dir, "rs", KEY).close())
                .startsWith("state directory " + dir + " is writable by its group (rwxrwx---); refusing it"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(refusal(() -> StateStore.read(dir, "rs", KEY)).contains("is writable by others (rwxrwxrwx)"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(dir, "unix:uid", 65534);
        assertTrue(refusal(() -> StateStore.openLocked(dir, "rs", KEY).close())
                .contains("is owned by uid 65534, not root"));
        assertEquals(List.of(), names(dir), "nothing created in it");
        // Readable by others is the operator's choice; only writing matters.
        Files.setAttribute(dir, "unix:uid", 0);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (StateStore store = StateStore.openLocked(dir, "rs", KEY)) {
            store.save(ONE_VIP);
        }
    }

    @Test
    void aStateFileThatIsALinkIsNeitherReadNorWrittenThrough() throws IOException {
        try (StateStore store = StateStore.openLocked(dir, "rs", KEY)) {
            Files.createSymbolicLink(store.file(), victim);
            assertEquals(store.file() + " is a symbolic link; refusing it (remove it)", refusal(store::load));
            store.save(ONE_VIP); // replaces the link itself
            assertEquals(ONE_VIP, store.load());
        }
        assertEquals("precious\n", Files.readString(victim));
    }

    @Test
    void aStateFileNotOwnedByRootOrNotRegularIsRefused() throws IOException {
        try (StateStore store = StateStore.openLocked(dir, "rs", KEY)) {
            store.save(ONE_VIP);
            Files.setAttribute(store.file(), "unix:uid", 65534);
            assertTrue(refusal(store::load).startsWith(store.file() + " is owned by "), refusal(store::load));
            Files.delete(store.file());
            Files.createDirectory(store.file());
            assertEquals(store.file() + " is not a regular file; refusing it (remove it)", refusal(store::load));
        }
    }

    @Test
    void aLockFileThatIsALinkIsRefused() throws IOException {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(dir.resolve("helpers-" + KEY + ".lock"), victim);
        assertEquals(dir.resolve("helpers-4096.lock") + " is a symbolic link; refusing it (remove it)",
                refusal(() -> StateStore.openLocked(dir, "rs", KEY).close()));
        assertEquals("precious\n", Files.readString(victim));
    }

    @Test
    void aSecondWriterWaitsAndThenPlansFromTheFirstOnesRecord() throws Exception {
        AtomicReference<State> seen = new AtomicReference<>();
        Thread second;
        try (StateStore first = StateStore.openLocked(dir, "rs", KEY)) {
            second = new Thread(() -> {
                try (StateStore s = StateStore.openLocked(dir, "rs", KEY)) {
                    seen.set(s.load());
                }
            });
            second.start();
            while (second.getState() != Thread.State.WAITING) {
                assertTrue(second.isAlive(), "the second writer ran while the first held the lock");
                Thread.onSpinWait();
            }
            first.save(ONE_VIP);
        }
        second.join();
        assertEquals(ONE_VIP, seen.get());
    }
}

package io.jipvs.cli.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the daemon listens, and what it refuses to listen in. */
class ListenerTest {
    @TempDir
    Path temp;

    @Test
    void namesTheSocketByTheNamespaceCookieInRunJipvs() {
        assertEquals(Path.of("/run/jipvs/daemon-4097.sock"), Listener.path(4097));
        assertEquals(Path.of("/run/jipvs/daemon-18446744073709551615.sock"), Listener.path(-1));
    }

    @Test
    void refusesADirectoryOthersMayWriteToOrASymlinkToOne() throws IOException {
        Path open = Files.createDirectory(temp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwx---"));
        IOException e = assertThrows(IOException.class, () -> Listener.checkDirectory(open));
        assertEquals(open + " is writable by others (rwxrwx---)", e.getMessage());
        Path link = Files.createSymbolicLink(temp.resolve("link"), Files.createDirectory(temp.resolve("real")));
        e = assertThrows(IOException.class, () -> Listener.checkDirectory(link));
        assertEquals(link + " is not a directory", e.getMessage());
    }

    @Test
    void createsTheDirectoryForRootAloneAndReplacesOnlyADeadDaemonsSocket() throws IOException {
        Path directory = temp.resolve("jipvs");
        Path path = directory.resolve("daemon-1.sock");
        if (!"root".equals(System.getProperty("user.name"))) {
            IOException e = assertThrows(IOException.class, () -> Listener.bind(path));
            assertEquals(directory + " is not owned by root", e.getMessage());
            return;
        }
        Listener first = Listener.bind(path);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        IOException e = assertThrows(IOException.class, () -> Listener.bind(path));
        assertEquals("a daemon already serves this network namespace (" + path + " answers)", e.getMessage());
        // A socket whose daemon died: nobody listens, so the name is taken over.
        int dead = SystemCalls.libc().socket(SystemCalls.AF_UNIX, SystemCalls.SOCK_STREAM, 0);
        first.close();
        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "removed on close");
        byte[] address = SystemCalls.unixAddress(path.toString());
        assertEquals(0, SystemCalls.libc().bind(dead, address, address.length));
        SystemCalls.libc().close(dead);
        assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
        Listener.bind(path).close();
    }
}

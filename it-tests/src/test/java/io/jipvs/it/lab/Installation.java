package io.jipvs.it.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * jipvs installed by `make install` into a temporary directory every user can reach, for tests
 * that run it as another user: the checkout's own cli/target/jipvs is out of their reach when the
 * checkout sits in a home directory (mode 0700) or under mktemp -d, as it usually does.
 */
public final class Installation implements AutoCloseable {
    private final Path prefix;

    private Installation(Path prefix) {
        this.prefix = prefix;
    }

    public static Installation create() {
        try {
            Path prefix = Files.createTempDirectory("jipvs-install");
            // Set, not created with: the umask would take the others' bits away again.
            Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxr-xr-x"));
            Installation installation = new Installation(prefix);
            // DESTDIR: the example files under /etc go there too, not onto the machine.
            Exec.Result installed = Exec.run("make", "-C", Build.repository().toString(), "install",
                    "DESTDIR=" + prefix, "PREFIX=/usr");
            if (installed.exitCode() != 0) {
                installation.close();
                installed.orThrow();
            }
            return installation;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** DESTDIR/usr/sbin/jipvs, the installed launcher. */
    public String launcher() {
        return prefix.resolve("usr/sbin/jipvs").toString();
    }

    @Override
    public void close() {
        try (Stream<Path> all = Files.walk(prefix)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.jipvs.cli.exec;

import io.jipvs.netlink.NetworkNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The kernel's connection table as -L -c reads it: the lines of /proc/net/ip_vs_conn of this
 * run's network namespace, streamed. Failing to open the file and failing to read it are told apart,
 * because ipvsadm has a text for the first only.
 */
final class ConnectionTable {
    /** The name ipvsadm's messages use, whichever namespace is read. */
    static final String FILE = "/proc/net/ip_vs_conn";

    /** The file could not be opened (ipvsadm: "cannot open file ..."). */
    static final class OpenFailure extends IOException {
        private static final long serialVersionUID = 1L;

        OpenFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final Path netnsFile;
    /** The namespace as an open descriptor (the daemon's caller's), or -1. */
    private final int netnsFd;
    private final Path file;

    /** The table of the namespace {@code netnsFile}, or of this process's when null. */
    ConnectionTable(Path netnsFile) {
        // /proc/thread-self/net follows the setns'd thread; /proc/net follows the process's.
        this(netnsFile, Path.of(netnsFile == null ? FILE : THREAD_FILE));
    }

    /** The table of the namespace open as {@code netnsFd} (which stays open). */
    ConnectionTable(int netnsFd) {
        this.netnsFile = null;
        this.netnsFd = netnsFd;
        this.file = Path.of(THREAD_FILE);
    }

    ConnectionTable(Path netnsFile, Path file) {
        this.netnsFile = netnsFile;
        this.netnsFd = -1;
        this.file = file;
    }

    private static final String THREAD_FILE = "/proc/thread-self/net/ip_vs_conn";

    /**
     * Hands every line, the title included, to {@code sink} as it is read: the table can hold far
     * more connections than are worth keeping in memory at once.
     *
     * @return how many lines there were (0: the file is empty)
     * @throws OpenFailure when the file cannot be opened
     * @throws IOException when it cannot be read (after the lines before the failure)
     * @throws io.jipvs.netlink.NetlinkException when the namespace cannot be entered
     */
    long read(Consumer<String> sink) throws IOException {
        try (BufferedReader reader = open()) {
            long lines = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                sink.accept(line);
                lines++;
            }
            return lines;
        }
    }

    /**
     * Opens the file, inside the namespace when there is one: a /proc/net file is bound to the
     * namespace it was opened in, so it can then be read from any thread.
     */
    private BufferedReader open() throws IOException {
        if (netnsFile == null && netnsFd < 0) {
            return open(file);
        }
        Callable<BufferedReader> inside = () -> {
            try {
                return open(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // callIn would wrap a checked exception
            }
        };
        try {
            return netnsFile != null ? NetworkNamespace.callIn(netnsFile, inside)
                    : NetworkNamespace.callIn(netnsFd, inside);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static BufferedReader open(Path file) throws OpenFailure {
        try {
            return Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new OpenFailure(e);
        }
    }
}

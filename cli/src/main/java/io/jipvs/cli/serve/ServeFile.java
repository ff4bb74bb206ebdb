package io.jipvs.cli.serve;

import io.jipvs.cli.desired.DesiredFile;
import io.jipvs.control.config.ConfigError;
import io.jipvs.control.config.ConfigException;
import io.jipvs.control.config.ConfigFormat;
import io.jipvs.control.config.WeightEdit;
import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.Supervised;
import io.jipvs.control.serve.Supervisor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The file serve keeps in force: read at start, read again on reload, and written by
 * {@code --persist}. One lock orders them, so a persist never races a reload.
 */
final class ServeFile {
    private final Path path;
    private final String format;
    private final String program;
    /** The bytes in force: a change event that brings the same bytes reloads nothing. */
    private final AtomicReference<byte[]> loaded = new AtomicReference<>();

    /** The file as read, and its bytes. */
    record Loaded(Supervised file, byte[] content) {
    }

    /** A persist that was refused, and whether because the file changed under serve. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean conflict;

        Refused(boolean conflict, String message) {
            super(message);
            this.conflict = conflict;
        }
    }

    ServeFile(Path path, String format, String program) {
        this.path = path;
        this.format = format;
        this.program = program;
    }

    Path path() {
        return path;
    }

    /** Reads and validates the file; errors go to {@code err} and null is returned. */
    Loaded load(PrintWriter err) {
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (IOException e) {
            err.println(program + ": cannot read " + path + ": " + e.getMessage());
            return null;
        }
        try {
            return new Loaded(DesiredFile.readSupervised(path.toString(), content, format, program, err), content);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            return null;
        }
    }

    /** The first read, which start puts in force. */
    Loaded first(PrintWriter err) {
        Loaded l = load(err);
        if (l != null) {
            loaded.set(l.content());
        }
        return l;
    }

    /** Whether these bytes differ from the ones in force. */
    boolean differs(byte[] now) {
        return !Arrays.equals(now, loaded.get());
    }

    /**
     * Reads the file again: in force when valid, reported (and the running state kept) when not.
     *
     * @return null when in force, else the file's errors
     */
    synchronized String reload(Supervisor supervisor) {
        StringWriter errors = new StringWriter();
        PrintWriter w = new PrintWriter(errors);
        Loaded next = load(w);
        w.flush();
        if (next == null) {
            supervisor.reloadFailed(errors.toString().strip());
            return errors.toString().strip();
        }
        loaded.set(next.content());
        supervisor.reload(next.file());
        return null;
    }

    /**
     * Writes one real server's weight into the file (its comments and layout kept), puts the
     * written bytes in force and drops the runtime override the file now carries. The file must be
     * the one in force: an edit nobody has reloaded yet is not overwritten.
     *
     * @return null when done, else why the override could not be dropped
     * @throws Refused      when the file changed since serve read it, or cannot be written so
     * @throws IOException  when it cannot be read or replaced (nothing changed then), or its
     *                      directory cannot be synced (after the weight is in force)
     */
    synchronized String persist(Supervisor supervisor, Member member, int weight)
            throws Refused, IOException, InterruptedException {
        byte[] now = Files.readAllBytes(path);
        if (differs(now)) {
            throw new Refused(true, path + " changed since serve read it: reload it first, then persist");
        }
        WeightEdit.Edited edited;
        try {
            edited = WeightEdit.setWeight(path.toString(), now, ConfigFormat.of(format, now), member, weight);
        } catch (IllegalArgumentException | ConfigException e) {
            throw new Refused(false, e.getMessage());
        }
        boolean written = !Arrays.equals(edited.content(), now);
        if (written) {
            // Set first, so that the watcher takes our own write for no change.
            loaded.set(edited.content());
            try {
                replace(path, now, edited.content());
            } catch (IOException | Refused e) {
                loaded.set(now);
                throw e;
            }
            // The bytes just written and proven, not a second read: a write by someone else
            // after ours is the watcher's to put in force.
            supervisor.reload(edited.file());
        }
        String why = supervisor.override(member, null, "persisted: " + path + " has weight " + weight);
        if (written) {
            syncDirectory(path); // the rename survives a crash from here on
        }
        return why;
    }

    /**
     * Replaces a file whole, as an editor does: a new file beside it with the old one's mode and
     * owner, synced, then renamed over it ({@link #syncDirectory} makes the rename durable). A
     * symbolic link stays one; its target is replaced.
     *
     * @param expected what the file must still hold: a write by someone else since it was read is
     *                 not overwritten
     * @throws Refused when the file changed meanwhile
     */
    static void replace(Path file, byte[] expected, byte[] content) throws IOException, Refused {
        Path target = file.toRealPath();
        PosixFileAttributes was = Files.readAttributes(target, PosixFileAttributes.class);
        // A fresh name (O_EXCL, never a link followed), mode 0600 until it is complete.
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".jipvs");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            view.setOwner(was.owner());
            view.setGroup(was.group());
            view.setPermissions(was.permissions()); // after chown, which may clear set-id bits
            if (!Arrays.equals(Files.readAllBytes(target), expected)) {
                throw new Refused(true, file + " changed while serve wrote it: reload it first, then persist");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Syncs the directory of a replaced file, so that the rename is on disk. */
    static void syncDirectory(Path file) throws IOException {
        try (FileChannel dir = FileChannel.open(file.toRealPath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}

package io.jipvs.cli.serve;

import io.jipvs.cli.desired.DesiredFile;
import io.jipvs.control.config.ConfigError;
import io.jipvs.control.config.ConfigException;
import io.jipvs.control.config.ConfigFormat;
import io.jipvs.control.config.WeightEdit;
import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.Supervised;
import io.jipvs.control.serve.Supervisor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Locale;
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
            return new Loaded(DesiredFile.readSupervised(path.toString(), format, new ByteArrayInputStream(content),
                    program, err), content);
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
     * file in force and drops the runtime override the file now carries. The file must be the
     * one in force: an edit nobody has reloaded yet is not overwritten.
     *
     * @return null when done, else the file's errors after the write (not expected: the edit is
     *         proven before it is written)
     * @throws Refused      when the file changed since serve read it, or cannot be written so
     * @throws IOException  when it cannot be read or replaced
     */
    synchronized String persist(Supervisor supervisor, Member member, int weight)
            throws Refused, IOException, InterruptedException {
        byte[] now = Files.readAllBytes(path);
        if (differs(now)) {
            throw new Refused(true, path + " changed since serve read it: reload it first, then persist");
        }
        ConfigFormat f = format == null ? ConfigFormat.detect(now) : ConfigFormat.valueOf(format.toUpperCase(Locale.ROOT));
        byte[] edited;
        try {
            edited = WeightEdit.setWeight(path.toString(), now, f, member, weight);
        } catch (IllegalArgumentException | ConfigException e) {
            throw new Refused(false, e.getMessage());
        }
        loaded.set(edited); // the watcher then sees its own write as no change
        try {
            replace(path, edited);
        } catch (IOException e) {
            loaded.set(now);
            throw e;
        }
        String errors = reload(supervisor);
        if (errors != null) {
            return errors;
        }
        supervisor.override(member, null, "persisted: " + path + " has weight " + weight);
        return null;
    }

    /**
     * Replaces a file whole, as an editor does: a new file beside it with the old one's mode and
     * owner, synced, then renamed over it. A symbolic link stays one; its target is replaced.
     */
    static void replace(Path file, byte[] content) throws IOException {
        Path target = file.toRealPath();
        PosixFileAttributes was = Files.readAttributes(target, PosixFileAttributes.class);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".jipvs-" + ProcessHandle.current().pid());
        try {
            // CREATE_NEW is O_EXCL: a link planted under that name is not followed.
            try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(was.permissions()))) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            view.setOwner(was.owner());
            view.setGroup(was.group());
            view.setPermissions(was.permissions()); // after chown, which may clear set-id bits; and past the umask
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}

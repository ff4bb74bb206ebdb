package io.jipvs.control.host;

import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.NetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state file of one role in one network namespace, {@code DIR/ROLE-COOKIE.state}, DIR being
 * /run/jipvs by default and COOKIE the namespace's SO_NETNS_COOKIE.
 *
 * <p>/run is a tmpfs, emptied at boot, and so are the things recorded: addresses and sysctls
 * do not survive a reboot either. Several namespaces share one /run (ip netns exec keeps it),
 * hence the namespace in the name; its cookie and not its inode number, which the kernel gives
 * to a namespace created later and which would then inherit the state of a deleted one.
 *
 * <p>Root writes here, so nobody else may be able to steer those writes: the directory must be a
 * real directory (not a symbolic link) owned by root and writable by nobody else. It is opened
 * once and every file is reached relative to that open directory, never through its path again,
 * and never through a symbolic link. A file is written under a new unique name, synced, and
 * renamed over the old one, so a reader sees the old state or the new one, never a part.
 *
 * <p>A store opened {@linkplain #openLocked for a change} holds an exclusive lock (a POSIX record
 * lock on {@code DIR/helpers-COOKIE.lock}) until {@link #close()}: two helpers changing the same
 * namespace run one after the other, each planning from what the other recorded.
 */
public final class StateStore implements AutoCloseable {
    /** Where state files live unless told otherwise. */
    public static final Path DEFAULT_DIR = Path.of("/run/jipvs");

    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> DIR_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * POSIX record locks belong to the process, so the file lock alone cannot keep apart two
     * threads of one JVM (it throws OverlappingFileLockException instead of waiting).
     */
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private final Path dir;
    private final String name;
    private final Opened opened;
    private final FileChannel lockChannel;

    private StateStore(Path dir, String name, Opened opened, FileChannel lockChannel) {
        this.dir = dir;
        this.name = name;
        this.opened = opened;
        this.lockChannel = lockChannel;
    }

    /**
     * The store of {@code role} in the calling thread's network namespace, for a command that
     * changes the host: creates the directory (0700) if it is missing, and holds the namespace's
     * lock until closed.
     *
     * @param dir  the directory
     * @param role e.g. "rs" or "director"
     * @return the store, locked
     * @throws PlanException when the directory or the lock file is unsafe
     */
    public static StateStore openLocked(Path dir, String role) {
        return openLocked(dir, role, namespaceKey());
    }

    /**
     * As {@link #openLocked(Path, String)}, for a namespace named by {@code key}.
     *
     * @param dir  the directory
     * @param role e.g. "rs"
     * @param key  the namespace's key, as {@link #namespaceKey()} gives it
     * @return the store, locked
     * @throws PlanException when the directory or the lock file is unsafe
     */
    public static StateStore openLocked(Path dir, String role, String key) {
        createDirectory(dir);
        Opened opened = openDirectory(dir);
        String lockName = "helpers-" + key + ".lock";
        boolean locked = false;
        IN_PROCESS.lock();
        try {
            FileChannel lock = lockFile(dir, opened, lockName);
            try {
                lock.lock();
            } catch (IOException e) {
                close(lock);
                throw new UncheckedIOException("cannot lock " + dir.resolve(lockName) + ": " + reason(e), e);
            }
            locked = true;
            return new StateStore(dir, role + "-" + key + ".state", opened, lock);
        } finally {
            if (!locked) {
                IN_PROCESS.unlock();
                close(opened.stream());
            }
        }
    }

    /**
     * Claims {@code name} in the calling thread's network namespace for as long as this process
     * holds the returned channel (a lock on {@code NAME-KEY.lock} in the same checked directory):
     * what keeps a second {@code jipvs serve} out of a namespace. Never waits.
     *
     * @param dir  the directory
     * @param name e.g. "serve"
     * @return the locked channel (close it to give the claim up), or null when another process holds it
     * @throws PlanException when the directory or the lock file is unsafe
     */
    public static FileChannel claim(Path dir, String name) {
        createDirectory(dir);
        Opened opened = openDirectory(dir);
        try {
            String lockName = name + "-" + namespaceKey() + ".lock";
            FileChannel lock = lockFile(dir, opened, lockName);
            try {
                if (lock.tryLock() != null) {
                    return lock;
                }
            } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
                // Held in this process: as taken as by another.
            }
            close(lock);
            return null;
        } finally {
            close(opened.stream());
        }
    }

    /**
     * The state of {@code role} in the calling thread's network namespace, for a command that
     * only reads (status, dry runs): no lock, since every save replaces the file whole, and
     * nothing is created; a missing directory reads as an empty state.
     *
     * @param dir  the directory
     * @param role e.g. "rs" or "director"
     * @return the state recorded there
     * @throws PlanException when the directory or the file is unsafe
     */
    public static State read(Path dir, String role) {
        return read(dir, role, namespaceKey());
    }

    /**
     * As {@link #read(Path, String)}, for a namespace named by {@code key}.
     *
     * @param dir  the directory
     * @param role e.g. "rs"
     * @param key  the namespace's key
     * @return the state recorded there
     * @throws PlanException when the directory or the file is unsafe
     */
    public static State read(Path dir, String role, String key) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return State.EMPTY;
        }
        Opened opened = openDirectory(dir);
        try {
            return new StateStore(dir, role + "-" + key + ".state", opened, null).load();
        } finally {
            close(opened.stream());
        }
    }

    /**
     * The text of {@code role}'s file for a namespace, for a command that only reads (no lock, as
     * {@link #read(Path, String, String)}).
     *
     * @param dir  the directory
     * @param role e.g. "apply"
     * @param key  the namespace's key
     * @return the text, or null when nothing is recorded
     * @throws PlanException when the directory or the file is unsafe
     */
    public static String readText(Path dir, String role, String key) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Opened opened = openDirectory(dir);
        try {
            return new StateStore(dir, role + "-" + key + ".state", opened, null).loadText();
        } finally {
            close(opened.stream());
        }
    }

    /**
     * The calling thread's network namespace as state files name it.
     *
     * @return its SO_NETNS_COOKIE in decimal
     * @throws PlanException when the kernel cannot tell it (before Linux 5.14)
     */
    public static String namespaceKey() {
        try {
            return Long.toUnsignedString(NetworkNamespace.cookie());
        } catch (NetlinkException e) {
            throw new PlanException("cannot identify the network namespace (" + e.getMessage() + "); the helpers"
                    + " need Linux 5.14 or later, which has SO_NETNS_COOKIE");
        }
    }

    /**
     * The state file.
     *
     * @return its path
     */
    public Path file() {
        return dir.resolve(name);
    }

    /**
     * Reads the state, never through a symbolic link.
     *
     * @return the recorded state, {@link State#EMPTY} without a file
     * @throws PlanException when the file is not a regular file owned by root, or is damaged
     */
    public State load() {
        String text = loadText();
        if (text == null) {
            return State.EMPTY;
        }
        try {
            return State.decode(text);
        } catch (IllegalArgumentException e) {
            throw damaged(e);
        }
    }

    /**
     * Reads the file's text, never through a symbolic link, for records other than the helpers'
     * (jipvs apply's ownership record).
     *
     * @return the text, or null without a file
     * @throws PlanException when the file is not a regular file owned by root
     */
    public String loadText() {
        Path entry = Path.of(name);
        try {
            if (!checkFile(opened, entry, file())) {
                return null;
            }
            try (SeekableByteChannel c = opened.stream().newByteChannel(entry,
                    Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                return readAll(c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file() + ": " + reason(e), e);
        }
    }

    /**
     * The error for a file whose content cannot be decoded.
     *
     * @param e what the decoder said
     * @return the exception to throw
     */
    public PlanException damaged(IllegalArgumentException e) {
        return new PlanException("state file " + file() + " is damaged (" + e.getMessage() + "); fix or remove it");
    }

    /**
     * Writes the state: a new file (0600) under a unique name, synced, then renamed over the
     * state file. An empty state removes the file.
     *
     * @param state the state
     * @throws IllegalStateException on a store opened only for reading
     */
    public void save(State state) {
        saveText(state.isEmpty() ? null : state.encode());
    }

    /**
     * Writes the file's text as {@link #save(State)} does; null removes the file.
     *
     * @param text the text, or null for nothing recorded
     * @throws IllegalStateException on a store opened only for reading
     */
    public void saveText(String text) {
        if (lockChannel == null) {
            throw new IllegalStateException("a store opened for reading cannot save");
        }
        SecureDirectoryStream<Path> d = opened.stream();
        Path entry = Path.of(name);
        try {
            if (text == null) {
                try {
                    d.deleteFile(entry);
                } catch (NoSuchFileException e) {
                    // Nothing recorded, nothing to remove.
                }
                return;
            }
            Path temporary = Path.of("." + name + "." + HexFormat.of().formatHex(randomBytes()) + ".tmp");
            Set<OpenOption> exclusive = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW,
                    LinkOption.NOFOLLOW_LINKS);
            boolean moved = false;
            try {
                try (SeekableByteChannel c = d.newByteChannel(temporary, exclusive,
                        PosixFilePermissions.asFileAttribute(FILE_MODE))) {
                    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                    while (bytes.hasRemaining()) {
                        c.write(bytes);
                    }
                    if (c instanceof FileChannel f) {
                        f.force(true);
                    }
                }
                d.move(temporary, d, entry);
                moved = true;
            } finally {
                if (!moved) {
                    try {
                        d.deleteFile(temporary);
                    } catch (IOException e) {
                        // Best effort: the write already failed, and that is what gets reported.
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file() + ": " + reason(e), e);
        }
    }

    /** Releases the lock and the directory. */
    @Override
    public void close() {
        if (lockChannel != null) {
            close(lockChannel); // closing the channel releases its lock
            IN_PROCESS.unlock();
        }
        close(opened.stream());
    }

    /** Creates the directory 0700 if it is missing; whatever is there is checked when opened. */
    private static void createDirectory(Path dir) {
        try {
            // mkdir never follows a link: a planted one makes it fail, and the check on opening refuses it.
            Files.createDirectory(dir, DIR_MODE);
        } catch (FileAlreadyExistsException e) {
            // Checked on opening like any other.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + dir + ": " + reason(e), e);
        }
    }

    /**
     * Opens the directory and checks the one actually opened: the same inode the path named when
     * looked at without following links (so not a symbolic link), root's, writable by nobody else.
     * Everything afterwards goes through the open directory, so renaming the path later changes
     * nothing.
     */
    private static Opened openDirectory(Path dir) {
        Map<String, Object> link;
        try {
            link = Files.readAttributes(dir, "unix:*", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the state directory " + dir + ": " + reason(e), e);
        }
        if (Boolean.TRUE.equals(link.get("isSymbolicLink"))) {
            throw unsafe(dir, "is a symbolic link");
        }
        if (!Boolean.TRUE.equals(link.get("isDirectory"))) {
            throw unsafe(dir, "is not a directory");
        }
        int uid = (Integer) link.get("uid");
        if (uid != 0) {
            throw unsafe(dir, "is owned by uid " + uid + ", not root");
        }
        DirectoryStream<Path> stream;
        try {
            stream = Files.newDirectoryStream(dir);
        } catch (AccessDeniedException e) {
            throw new PlanException("cannot open the state directory " + dir + ": permission denied (what jipvs"
                    + " recorded there is root's to read)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the state directory " + dir + ": " + reason(e), e);
        }
        if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
            close(stream);
            throw new PlanException("this platform cannot open files relative to a directory; refusing to keep"
                    + " state in " + dir);
        }
        try {
            PosixFileAttributes open = secure.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
            if (!Objects.equals(link.get("fileKey"), open.fileKey()) || !Objects.equals(link.get("owner"), open.owner())) {
                throw unsafe(dir, "was replaced while being opened");
            }
            Set<PosixFilePermission> mode = open.permissions();
            if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw unsafe(dir, "is writable by " + (mode.contains(PosixFilePermission.OTHERS_WRITE) ? "others"
                        : "its group") + " (" + PosixFilePermissions.toString(mode) + ")");
            }
            return new Opened(secure, open);
        } catch (IOException e) {
            close(secure);
            throw new UncheckedIOException("cannot check the state directory " + dir + ": " + reason(e), e);
        } catch (RuntimeException e) {
            close(secure);
            throw e;
        }
    }

    /** The directory as opened, and its attributes as read from the open descriptor. */
    private record Opened(SecureDirectoryStream<Path> stream, PosixFileAttributes attributes) {
    }

    private static FileChannel lockFile(Path dir, Opened opened, String lockName) {
        Path entry = Path.of(lockName);
        try {
            checkFile(opened, entry, dir.resolve(lockName)); // a clear refusal, rather than O_NOFOLLOW's ELOOP
            SeekableByteChannel c = opened.stream().newByteChannel(entry, Set.of(StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(FILE_MODE));
            if (!(c instanceof FileChannel f)) {
                close(c);
                throw new PlanException("this platform cannot lock " + dir.resolve(lockName));
            }
            try {
                checkFile(opened, entry, dir.resolve(lockName));
            } catch (RuntimeException | IOException e) {
                close(f);
                throw e;
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + dir.resolve(lockName) + ": " + reason(e), e);
        }
    }

    /**
     * A file in the directory must be a regular file (not a link, FIFO or device) owned as the
     * directory is, by root.
     *
     * @return false when there is no such file
     */
    private static boolean checkFile(Opened opened, Path entry, Path path) throws IOException {
        PosixFileAttributes a;
        try {
            a = opened.stream().getFileAttributeView(entry, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
        } catch (NoSuchFileException e) {
            return false;
        }
        if (!a.isRegularFile()) {
            throw new PlanException(path + " is " + (a.isSymbolicLink() ? "a symbolic link" : "not a regular file")
                    + "; refusing it (remove it)");
        }
        if (!opened.attributes().owner().equals(a.owner())) {
            throw new PlanException(path + " is owned by " + a.owner().getName() + ", not root; refusing it"
                    + " (remove it)");
        }
        return true;
    }

    private static String readAll(SeekableByteChannel c) throws IOException {
        // A state file is a few lines per VIP; cap it so a huge file cannot exhaust the heap.
        int limit = 16 << 20;
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        while (c.read(buffer) > 0) {
            buffer.flip();
            bytes.write(buffer.array(), 0, buffer.limit());
            buffer.clear();
            if (bytes.size() > limit) {
                throw new IOException("larger than " + (limit >> 20) + " MiB");
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    private static PlanException unsafe(Path dir, String why) {
        return new PlanException("state directory " + dir + " " + why + "; refusing it: jipvs keeps root's records"
                + " only in a real directory owned by root and writable by nobody else (default " + DEFAULT_DIR + ")");
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage();
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Closing a directory or a read channel loses nothing.
        }
    }
}

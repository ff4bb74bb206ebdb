package io.jipvs.netlink.sysctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Kernel parameters under /proc/sys, named by their path below it ("net/ipv4/conf/all/arp_ignore").
 *
 * <p>The net.* entries are per network namespace, and the kernel resolves them against the
 * namespace of the thread that opens the file, not of the process that mounted /proc. So to
 * read or write another namespace's values, call these methods on a thread that has joined it
 * ({@link io.jipvs.netlink.NetworkNamespace#callIn}); every call opens the file afresh.
 */
public final class Sysctl {
    /** The real tree. */
    public static final Path PROC_SYS = Path.of("/proc/sys");

    private final Path root;

    /** The real tree, {@link #PROC_SYS}. */
    public Sysctl() {
        this(PROC_SYS);
    }

    /**
     * A tree rooted elsewhere (unit tests use a temporary directory).
     *
     * @param root the directory standing for /proc/sys
     */
    public Sysctl(Path root) {
        this.root = root;
    }

    /**
     * The key of a per-device IPv4 setting.
     *
     * @param device an interface name, "all" or "default"
     * @param name   the setting, e.g. "arp_ignore"
     * @return net/ipv4/conf/DEV/NAME
     */
    public static String ipv4Conf(String device, String name) {
        return "net/ipv4/conf/" + device + "/" + name;
    }

    /**
     * The sysctl(8) spelling of a key: '/' becomes '.', and a '.' inside a segment (a VLAN
     * interface such as eth0.100) becomes '/'.
     *
     * @param key a key such as net/ipv4/conf/eth0.100/rp_filter
     * @return e.g. net.ipv4.conf.eth0/100.rp_filter
     */
    public static String dotted(String key) {
        StringBuilder s = new StringBuilder(key.length());
        for (char c : key.toCharArray()) {
            s.append(c == '/' ? '.' : c == '.' ? '/' : c);
        }
        return s.toString();
    }

    /**
     * Reads an entry.
     *
     * @param key a key such as net/ipv4/ip_forward
     * @return the value (trailing newline removed), or empty when the entry does not exist
     * @throws SysctlException when it cannot be read
     */
    public Optional<String> read(String key) {
        Path file = file(key);
        try {
            return Optional.of(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    /**
     * Reads an integer entry.
     *
     * @param key a key such as net/ipv4/ip_forward
     * @return the value, or empty when the entry does not exist
     * @throws SysctlException when it cannot be read or is not an integer
     */
    public OptionalInt readInt(String key) {
        Optional<String> v = read(key);
        if (v.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(v.get()));
        } catch (NumberFormatException e) {
            throw new SysctlException(dotted(key) + " is not an integer: '" + v.get() + "'", e);
        }
    }

    /**
     * Writes a value; the entry must exist (sysctls cannot be created).
     *
     * @param key   a key such as net/ipv4/ip_forward
     * @param value the new value
     * @throws SysctlException when the entry does not exist or cannot be written
     */
    public void write(String key, String value) {
        Path file = file(key);
        if (!Files.exists(file)) {
            throw new SysctlException("cannot write " + dotted(key) + ": no such sysctl", null);
        }
        try {
            Files.writeString(file, value + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw failure("write", key, e);
        }
    }

    /**
     * Writes an integer value; the entry must exist.
     *
     * @param key   a key such as net/ipv4/ip_forward
     * @param value the new value
     * @throws SysctlException when the entry does not exist or cannot be written
     */
    public void write(String key, int value) {
        write(key, Integer.toString(value));
    }

    /**
     * The entry's file. Segments are sysctl names or interface names, and Linux allows any byte
     * in those but '/', ':', NUL and blanks ("a,b" and "c$d" are real devices, their directories
     * spelled as they are); only what could leave the tree is refused: an empty, "." or ".."
     * segment, or a NUL.
     */
    private Path file(String key) {
        int from = 0;
        while (true) {
            int slash = key.indexOf('/', from);
            String segment = key.substring(from, slash < 0 ? key.length() : slash);
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid sysctl key '" + key + "'");
            }
            if (slash < 0) {
                try {
                    return root.resolve(key);
                } catch (InvalidPathException e) {
                    // A name this JVM's file-name encoding cannot spell (non-ASCII under LANG=C).
                    throw new SysctlException("cannot use " + dotted(key) + ": " + e.getReason(), e);
                }
            }
            from = slash + 1;
        }
    }

    private static SysctlException failure(String verb, String key, IOException e) {
        String reason;
        if (e instanceof AccessDeniedException) {
            reason = "Permission denied";
        } else if (e instanceof FileSystemException fse && fse.getReason() != null) {
            reason = fse.getReason();
        } else {
            reason = e.getMessage();
        }
        return new SysctlException("cannot " + verb + " " + dotted(key) + ": " + reason, e);
    }
}

package io.jipvs.netlink;

import java.util.Map;

/**
 * Linux errno numbers with their symbolic names and the C library's (glibc, C locale) strerror
 * texts. One table, so that every error message in jipvs reads like the C tools' messages.
 */
public final class Errno {
    private Errno() {
    }

    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** No such process. */
    public static final int ESRCH = 3;
    /** No such device or address. */
    public static final int ENXIO = 6;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Input/output error. */
    public static final int EIO = 5;
    /** Bad file descriptor. */
    public static final int EBADF = 9;
    /** Resource temporarily unavailable. */
    public static final int EAGAIN = 11;
    /** Cannot allocate memory. */
    public static final int ENOMEM = 12;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Device or resource busy. */
    public static final int EBUSY = 16;
    /** File exists. */
    public static final int EEXIST = 17;
    /** No such device. */
    public static final int ENODEV = 19;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Numerical result out of range. */
    public static final int ERANGE = 34;
    /** Protocol error. */
    public static final int EPROTO = 71;
    /** Bad message. */
    public static final int EBADMSG = 74;
    /** Message too long. */
    public static final int EMSGSIZE = 90;
    /** Protocol not available. */
    public static final int ENOPROTOOPT = 92;
    /** Operation not supported. */
    public static final int EOPNOTSUPP = 95;
    /** Address family not supported by protocol. */
    public static final int EAFNOSUPPORT = 97;
    /** Cannot assign requested address. */
    public static final int EADDRNOTAVAIL = 99;
    /** No buffer space available. */
    public static final int ENOBUFS = 105;
    /** Connection timed out. */
    public static final int ETIMEDOUT = 110;
    /** Connection refused. */
    public static final int ECONNREFUSED = 111;
    /** Network is unreachable. */
    public static final int ENETUNREACH = 101;
    /** No route to host. */
    public static final int EHOSTUNREACH = 113;

    private record Entry(String name, String text) {
    }

    private static final Map<Integer, Entry> TABLE = Map.ofEntries(
            Map.entry(1, new Entry("EPERM", "Operation not permitted")),
            Map.entry(2, new Entry("ENOENT", "No such file or directory")),
            Map.entry(3, new Entry("ESRCH", "No such process")),
            Map.entry(4, new Entry("EINTR", "Interrupted system call")),
            Map.entry(5, new Entry("EIO", "Input/output error")),
            Map.entry(6, new Entry("ENXIO", "No such device or address")),
            Map.entry(7, new Entry("E2BIG", "Argument list too long")),
            Map.entry(8, new Entry("ENOEXEC", "Exec format error")),
            Map.entry(9, new Entry("EBADF", "Bad file descriptor")),
            Map.entry(10, new Entry("ECHILD", "No child processes")),
            Map.entry(11, new Entry("EAGAIN", "Resource temporarily unavailable")),
            Map.entry(12, new Entry("ENOMEM", "Cannot allocate memory")),
            Map.entry(13, new Entry("EACCES", "Permission denied")),
            Map.entry(14, new Entry("EFAULT", "Bad address")),
            Map.entry(15, new Entry("ENOTBLK", "Block device required")),
            Map.entry(16, new Entry("EBUSY", "Device or resource busy")),
            Map.entry(17, new Entry("EEXIST", "File exists")),
            Map.entry(18, new Entry("EXDEV", "Invalid cross-device link")),
            Map.entry(19, new Entry("ENODEV", "No such device")),
            Map.entry(20, new Entry("ENOTDIR", "Not a directory")),
            Map.entry(21, new Entry("EISDIR", "Is a directory")),
            Map.entry(22, new Entry("EINVAL", "Invalid argument")),
            Map.entry(23, new Entry("ENFILE", "Too many open files in system")),
            Map.entry(24, new Entry("EMFILE", "Too many open files")),
            Map.entry(25, new Entry("ENOTTY", "Inappropriate ioctl for device")),
            Map.entry(26, new Entry("ETXTBSY", "Text file busy")),
            Map.entry(27, new Entry("EFBIG", "File too large")),
            Map.entry(28, new Entry("ENOSPC", "No space left on device")),
            Map.entry(29, new Entry("ESPIPE", "Illegal seek")),
            Map.entry(30, new Entry("EROFS", "Read-only file system")),
            Map.entry(31, new Entry("EMLINK", "Too many links")),
            Map.entry(32, new Entry("EPIPE", "Broken pipe")),
            Map.entry(33, new Entry("EDOM", "Numerical argument out of domain")),
            Map.entry(34, new Entry("ERANGE", "Numerical result out of range")),
            Map.entry(35, new Entry("EDEADLK", "Resource deadlock avoided")),
            Map.entry(36, new Entry("ENAMETOOLONG", "File name too long")),
            Map.entry(38, new Entry("ENOSYS", "Function not implemented")),
            Map.entry(39, new Entry("ENOTEMPTY", "Directory not empty")),
            Map.entry(40, new Entry("ELOOP", "Too many levels of symbolic links")),
            Map.entry(61, new Entry("ENODATA", "No data available")),
            Map.entry(71, new Entry("EPROTO", "Protocol error")),
            Map.entry(74, new Entry("EBADMSG", "Bad message")),
            Map.entry(75, new Entry("EOVERFLOW", "Value too large for defined data type")),
            Map.entry(88, new Entry("ENOTSOCK", "Socket operation on non-socket")),
            Map.entry(90, new Entry("EMSGSIZE", "Message too long")),
            Map.entry(91, new Entry("EPROTOTYPE", "Protocol wrong type for socket")),
            Map.entry(92, new Entry("ENOPROTOOPT", "Protocol not available")),
            Map.entry(93, new Entry("EPROTONOSUPPORT", "Protocol not supported")),
            Map.entry(94, new Entry("ESOCKTNOSUPPORT", "Socket type not supported")),
            Map.entry(95, new Entry("EOPNOTSUPP", "Operation not supported")),
            Map.entry(97, new Entry("EAFNOSUPPORT", "Address family not supported by protocol")),
            Map.entry(98, new Entry("EADDRINUSE", "Address already in use")),
            Map.entry(99, new Entry("EADDRNOTAVAIL", "Cannot assign requested address")),
            Map.entry(100, new Entry("ENETDOWN", "Network is down")),
            Map.entry(101, new Entry("ENETUNREACH", "Network is unreachable")),
            Map.entry(103, new Entry("ECONNABORTED", "Software caused connection abort")),
            Map.entry(104, new Entry("ECONNRESET", "Connection reset by peer")),
            Map.entry(105, new Entry("ENOBUFS", "No buffer space available")),
            Map.entry(110, new Entry("ETIMEDOUT", "Connection timed out")),
            Map.entry(111, new Entry("ECONNREFUSED", "Connection refused")),
            Map.entry(113, new Entry("EHOSTUNREACH", "No route to host")),
            Map.entry(114, new Entry("EALREADY", "Operation already in progress")),
            Map.entry(115, new Entry("EINPROGRESS", "Operation now in progress")),
            Map.entry(125, new Entry("ECANCELED", "Operation canceled")));

    /**
     * The symbolic name.
     *
     * @param errno an errno number
     * @return e.g. "ENOENT", or "E" and the number for one not in the table
     */
    public static String name(int errno) {
        Entry e = TABLE.get(errno);
        return e != null ? e.name : "E" + errno;
    }

    /**
     * The C library's text for this errno, as strerror() prints it in the C locale.
     *
     * @param errno an errno number
     * @return e.g. "No such file or directory", or "Unknown error N"
     */
    public static String strerror(int errno) {
        Entry e = TABLE.get(errno);
        return e != null ? e.text : "Unknown error " + errno;
    }
}

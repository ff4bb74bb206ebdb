package io.jipvs.netlink.internal;

import jnr.ffi.Pointer;

/**
 * The libc calls jipvs makes through JNR-FFI; {@link Native} loads it with errno saved for every
 * call. Public only because JNR generates the implementation in its own class loader; not part of
 * the jipvs API.
 *
 * <p>No JNR annotations on purpose: JNR reads each annotation through a dynamic proxy class it
 * generates at start-up, which cost a short-lived CLI more than the calls themselves. So sizes are
 * plain {@code long} (size_t and ssize_t on the LP64 Linux targets jipvs supports), socklen_t
 * in/out arguments are 4-byte arrays (JNR's by-reference types pull in annotated converters), and the two
 * calls that move datagrams take native memory the caller owns and reuses, which JNR passes as is
 * (a Java array would be copied in, and back out, in full on every call).
 */
public interface LibC {
    int socket(int domain, int type, int protocol);

    int bind(int fd, byte[] address, int addressLength);

    int getsockname(int fd, byte[] address, byte[] addressLength);

    int connect(int fd, byte[] address, int addressLength);

    int setsockopt(int fd, int level, int name, byte[] value, int valueLength);

    int getsockopt(int fd, int level, int name, byte[] value, byte[] valueLength);

    long sendto(int fd, Pointer buffer, long length, int flags, Pointer address, int addressLength);

    long recvfrom(int fd, Pointer buffer, long length, int flags, Pointer address, Pointer addressLength);

    int close(int fd);

    int open(String path, int flags);

    int setns(int fd, int nstype);

    /** ioctl(2) with an integer argument (variadic in C; the integer is passed as is). */
    int ioctl(int fd, long request, long argument);
}

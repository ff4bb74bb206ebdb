package io.jipvs.netlink;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls jipvs makes through JNR-FFI. Every one saves errno for the caller. Public only
 * because JNR generates the implementation in its own class loader; not part of the jipvs API.
 */
public interface LibC {
    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int bind(int fd, @In byte[] address, int addressLength);

    @SaveError
    int getsockname(int fd, @Out byte[] address, IntByReference addressLength);

    @SaveError
    int setsockopt(int fd, int level, int name, @In byte[] value, int valueLength);

    @SaveError
    int getsockopt(int fd, int level, int name, @Out byte[] value, IntByReference valueLength);

    @SaveError
    @ssize_t
    long sendto(int fd, @In byte[] buffer, @size_t long length, int flags, @In byte[] address, int addressLength);

    /**
     * Into native memory the caller owns and reuses: a Java array here would be marshalled whole
     * (allocated, and copied back in full) on every call, whatever the datagram's size.
     */
    @SaveError
    @ssize_t
    long recvfrom(int fd, Pointer buffer, @size_t long length, int flags, Pointer address, Pointer addressLength);

    @SaveError
    int close(int fd);

    @SaveError
    int open(String path, int flags);

    @SaveError
    int setns(int fd, int nstype);
}

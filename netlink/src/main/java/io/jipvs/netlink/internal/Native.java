package io.jipvs.netlink.internal;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/** Internal: loads libc once, lazily, so that merely using the codecs never touches native code. */
public final class Native {
    private Native() {
    }

    // Linux x86-64 / arm64 values (asm-generic), the platforms jipvs supports.
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_TYPE = 3;
    public static final int SO_PROTOCOL = 38;
    public static final int SO_DOMAIN = 39;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_NETNS_COOKIE = 71;
    public static final int AF_UNIX = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int MSG_TRUNC = 0x20;
    public static final int CLONE_NEWNET = 0x40000000;
    /** ioctl: a new descriptor (close-on-exec) of the network namespace a socket belongs to. */
    public static final long SIOCGSKNS = 0x894C;

    private static final class Holder {
        // By soname: a bare "c" makes JNR scan the library directories for the newest libc.so.N.
        static final LibC LIBC = LibraryLoader.create(LibC.class).option(LibraryOption.SaveError, true)
                .load("libc.so.6");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    public static LibC libc() {
        return Holder.LIBC;
    }

    /** Native memory, freed when the returned pointer is garbage-collected. */
    public static Pointer allocate(int bytes) {
        return Memory.allocateDirect(Holder.RUNTIME, bytes);
    }

    /** errno of the last call on this thread. */
    public static int errno() {
        return Holder.RUNTIME.getLastError();
    }
}

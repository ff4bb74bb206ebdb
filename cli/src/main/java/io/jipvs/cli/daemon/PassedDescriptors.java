package io.jipvs.cli.daemon;

import io.jipvs.netlink.Errno;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * recvmsg(2) of the first bytes of a request together with the descriptors passed alongside
 * (SCM_RIGHTS). The message header, its iovec, the data and the control buffer all live in one
 * block of native memory that stays reachable for the whole call: jnr-posix's MsgHdr keeps only
 * raw addresses of the iovec and control buffers it allocates, which the garbage collector may
 * free while the kernel is still to write into them.
 *
 * <p>Layouts are those of LP64 Linux (x86-64, arm64), the platforms jipvs supports.
 */
final class PassedDescriptors {
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CTRUNC = 0x8;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;

    // struct msghdr: name, namelen, iov, iovlen, control, controllen, flags.
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    private static final int MSG_FLAGS = 48;
    // struct cmsghdr: len (size_t), level, type, then data, 8-byte aligned.
    private static final int CMSG_HEADER = 16;
    // Where the parts sit in the one block.
    private static final int IOVEC_AT = 64;
    private static final int DATA_AT = 80;
    private static final int CONTROL_AT = 96;
    /** Room for a few more descriptors than expected, so a surplus is seen (and closed), not cut off. */
    private static final int CONTROL_SIZE = 64;

    /** What one recvmsg brought: data bytes and descriptors (now owned by the caller). */
    record Received(byte[] data, List<Integer> descriptors) {
    }

    private PassedDescriptors() {
    }

    /**
     * Receives up to {@code max} (at most 16) bytes from {@code socket}, with any descriptors sent
     * along, without waiting (the caller polls first): nothing there yet is an error.
     */
    static Received receive(int socket, int max) throws IOException {
        if (max > CONTROL_AT - DATA_AT) {
            throw new IllegalArgumentException("at most " + (CONTROL_AT - DATA_AT) + " bytes");
        }
        Pointer block = Memory.allocateDirect(SystemCalls.runtime(), CONTROL_AT + CONTROL_SIZE, true);
        block.putAddress(MSG_IOV, block.address() + IOVEC_AT);
        block.putLong(MSG_IOVLEN, 1);
        block.putAddress(MSG_CONTROL, block.address() + CONTROL_AT);
        block.putLong(MSG_CONTROLLEN, CONTROL_SIZE);
        block.putAddress(IOVEC_AT, block.address() + DATA_AT);
        block.putLong(IOVEC_AT + 8, max);
        long n;
        do {
            n = SystemCalls.libc().recvmsg(socket, block, MSG_CMSG_CLOEXEC | SystemCalls.MSG_DONTWAIT);
        } while (n < 0 && SystemCalls.errno() == Errno.EINTR);
        if (n < 0) {
            throw SystemCalls.error("recvmsg");
        }
        List<Integer> fds = new ArrayList<>();
        long controlLength = block.getLong(MSG_CONTROLLEN);
        for (long at = 0; at + CMSG_HEADER <= controlLength; ) {
            long length = block.getLong(CONTROL_AT + at);
            if (length < CMSG_HEADER || at + length > controlLength) {
                break;
            }
            if (block.getInt(CONTROL_AT + at + 8) == SOL_SOCKET && block.getInt(CONTROL_AT + at + 12) == SCM_RIGHTS) {
                for (long d = CMSG_HEADER; d + 4 <= length; d += 4) {
                    fds.add(block.getInt(CONTROL_AT + at + d));
                }
            }
            at += (length + 7) & ~7L;
        }
        if ((block.getInt(MSG_FLAGS) & MSG_CTRUNC) != 0) {
            closeAll(fds);
            throw new IOException("too many descriptors passed");
        }
        byte[] data = new byte[(int) n];
        block.get(DATA_AT, data, 0, data.length);
        return new Received(data, fds);
    }

    static boolean isTerminal(int fd) {
        return SystemCalls.libc().isatty(fd) == 1;
    }

    static void closeAll(List<Integer> fds) {
        for (int fd : fds) {
            SystemCalls.libc().close(fd);
        }
    }
}

package io.jipvs.cli.daemon;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one description of what jipvs-client (src/main/c) and the daemon say to each other, on a
 * stream Unix socket at {@code /run/jipvs/daemon-COOKIE.sock} (see {@link Listener}).
 *
 * <pre>
 * client:  "JPV2"  u32 N (big-endian)  N bytes: PROGRAM\0 ARG\0 ARG\0 ...
 *          the first 8 bytes carry SCM_RIGHTS, 4 descriptors: the client's stdin, stdout and
 *          stderr, and a NETLINK_GENERIC socket the client opened itself (in the namespace of
 *          --netns, when the line has one)
 * daemon:  'F'                            declined: run the command on the JVM path instead
 *          'A'                            accepted: the daemon will run it when told to
 * client:  'G'                            go (the client has not given up waiting)
 * daemon:  'S' u32 STATUS (big-endian)    the command ran; exit with STATUS
 * </pre>
 *
 * N is at most {@value #MAX_PAYLOAD} bytes and at most {@value #MAX_ARGUMENTS} arguments (a
 * longer line runs on the JVM path). The client gives the daemon a few seconds up to 'A' and then
 * falls back to the JVM path; the daemon runs a command only after 'G', so a command never runs
 * twice, however the two time out. The daemon drops a client that has not completed its request
 * and its 'G' within {@link #REQUEST_DEADLINE_MS} of being accepted.
 *
 * <p>The command's IPVS traffic runs over the passed netlink socket, so the kernel judges it by
 * the credentials of the process that opened it and by the namespace it was opened in: the caller
 * can do through the daemon exactly what it could alone. The daemon writes the command's output
 * to the passed descriptors before it replies, so the client's output is complete when it exits.
 */
public final class Wire {
    static final byte[] MAGIC = {'J', 'P', 'V', '2'};
    static final int HEADER = 8;
    /** A far longer line than any listing or change takes; jipvs-client sends longer ones nowhere. */
    static final int MAX_PAYLOAD = 256 << 10;
    /** Arguments after the program name. */
    static final int MAX_ARGUMENTS = 4096;
    /** stdin, stdout, stderr and the netlink socket. */
    static final int PASSED_FDS = 4;
    static final int NETLINK_FD = 3;
    /** From accept to the client's 'G': the whole request, however its bytes trickle in. */
    static final int REQUEST_DEADLINE_MS = 5_000;
    static final byte ACCEPTED = 'A';
    static final byte GO = 'G';

    private Wire() {
    }

    /** One command line, as the client ran it. */
    public record Request(String program, List<String> args) {
        public Request {
            args = List.copyOf(args);
        }
    }

    /** The payload length a valid header announces. */
    static int payloadLength(byte[] header) throws WireException {
        if (header.length != HEADER || header[0] != MAGIC[0] || header[1] != MAGIC[1] || header[2] != MAGIC[2]
                || header[3] != MAGIC[3]) {
            throw new WireException("not a jipvs-client request");
        }
        long n = (header[4] & 0xffL) << 24 | (header[5] & 0xff) << 16 | (header[6] & 0xff) << 8 | header[7] & 0xff;
        if (n > MAX_PAYLOAD) {
            throw new WireException("request of " + n + " bytes is too large");
        }
        return (int) n;
    }

    static Request decode(byte[] payload) throws WireException {
        int nuls = 0;
        for (byte b : payload) {
            nuls += b == 0 ? 1 : 0;
        }
        if (nuls - 1 > MAX_ARGUMENTS) {
            throw new WireException("request of " + (nuls - 1) + " arguments is too long");
        }
        List<String> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == 0) {
                fields.add(new String(payload, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start != payload.length || fields.isEmpty()) {
            throw new WireException("malformed request");
        }

        return new Request(fields.get(0), fields.subList(1, fields.size()));
    }

    /** The client side of {@link #decode}: what jipvs-client sends (used by tests). */
    static byte[] encode(Request request) {
        List<String> fields = new ArrayList<>();
        fields.add(request.program());
        fields.addAll(request.args());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.writeBytes(new byte[4]);
        for (String f : fields) {
            out.writeBytes(f.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        byte[] bytes = out.toByteArray();
        int n = bytes.length - HEADER;
        bytes[4] = (byte) (n >>> 24);
        bytes[5] = (byte) (n >>> 16);
        bytes[6] = (byte) (n >>> 8);
        bytes[7] = (byte) n;
        return bytes;
    }

    static byte[] status(int status) {
        return new byte[] {'S', (byte) (status >>> 24), (byte) (status >>> 16), (byte) (status >>> 8), (byte) status};
    }

    static byte[] declined() {
        return new byte[] {'F'};
    }

    static byte[] accepted() {
        return new byte[] {ACCEPTED};
    }

    /** A request the daemon cannot read: the connection is dropped without running anything. */
    static final class WireException extends Exception {
        private static final long serialVersionUID = 1L;

        WireException(String message) {
            super(message);
        }
    }
}

package io.jipvs.cli.daemon;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one description of what jipvs-client (src/main/c) and the daemon say to each other, on a
 * stream Unix socket bound to the abstract name {@value #SOCKET_NAME}.
 *
 * <pre>
 * request:  "JPV1"  u32 N (big-endian)  N bytes: PROGRAM\0 ARG\0 ARG\0 ...
 *           the first 8 bytes carry SCM_RIGHTS: the client's stdin, stdout and stderr
 * reply:    'S' u32 STATUS (big-endian)   the command ran; exit with STATUS
 *           'F'                            declined: run the command on the JVM path instead
 * </pre>
 *
 * The daemon writes the command's output to the passed descriptors before it replies, so the
 * client's output is complete when it exits.
 */
public final class Wire {
    /** Abstract names are per network namespace: a client only ever reaches its own namespace's daemon. */
    public static final String SOCKET_NAME = "jipvs";
    static final byte[] MAGIC = {'J', 'P', 'V', '1'};
    static final int HEADER = 8;
    /** Far above any argv the kernel lets a client have (ARG_MAX is 2 MiB by default). */
    static final int MAX_PAYLOAD = 4 << 20;
    static final int PASSED_FDS = 3;

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

    /** A request the daemon cannot read: the connection is dropped without running anything. */
    static final class WireException extends Exception {
        private static final long serialVersionUID = 1L;

        WireException(String message) {
            super(message);
        }
    }
}

package io.jipvs.cli.ipvsadm;

/**
 * A command line that ipvsadm rejects: the exact message (without the final newline) and exit
 * status, plus whether {@code -R} stops at it ({@link Kind#FAIL} and {@link Kind#TRY} abort a
 * restore, popt errors only skip the line).
 */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** ipvsadm's fail(): exit 2, aborts -R. */
        FAIL,
        /** The "Try `%s -h' ..." text: exit 255, aborts -R. */
        TRY,
        /** A popt parse error ("TOKEN: message"): exit 255, -R continues. */
        POPT
    }

    private final Kind kind;

    public UsageException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public static UsageException fail(String format, Object... args) {
        return new UsageException(Kind.FAIL, args.length == 0 ? format : String.format(format, args));
    }

    public Kind kind() {
        return kind;
    }

    public int exitCode() {
        return kind == Kind.FAIL ? 2 : 255;
    }
}

package io.jipvs.cli.exec;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output, written as UTF-8 bytes: PrintStream's text path (inflating each string to
 * chars, then a charset encoder loop) costs a cold JVM more than formatting the listing did.
 */
final class Output {
    private final PrintStream out;

    Output(PrintStream out) {
        this.out = out;
    }

    /** The stream itself, for output written as it is produced (JSON of the connection table). */
    PrintStream stream() {
        return out;
    }

    void emit(CharSequence text) {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
    }
}

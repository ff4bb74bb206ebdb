package io.jipvs.cli.exec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Standard input that gives some text and then fails, as a broken disk or device would. */
final class FailingInput extends InputStream {
    private final InputStream first;

    FailingInput(String text) {
        this.first = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int read() throws IOException {
        int b = first.read();
        if (b < 0) {
            throw new IOException("Input/output error");
        }
        return b;
    }
}

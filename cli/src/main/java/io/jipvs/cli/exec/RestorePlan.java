package io.jipvs.cli.exec;

import io.jipvs.cli.ipvsadm.IpvsadmCommand;
import io.jipvs.cli.ipvsadm.IpvsadmParser;
import io.jipvs.cli.ipvsadm.PoptTokenizer;
import io.jipvs.cli.ipvsadm.Switch;
import io.jipvs.cli.ipvsadm.UsageException;
import io.jipvs.netlink.ipvs.IpvsMutation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * -R planned ahead a chunk at a time, so that its changes can go to the kernel in batches while
 * memory stays bounded whatever the input's size. Every line of a chunk is parsed and validated
 * (nothing here touches the kernel) and becomes a {@link Step}: a change, a rejection to print,
 * or a line that must run on its own against the kernel as it is at that point (listings, -h,
 * -v). Planning stops at the first line that would end ipvsadm's restore: later lines are never
 * run, so they are never read either.
 *
 * <p>Why batching cannot be observed: ipvsadm's per-line changes and its rejections do not
 * depend on one another (a rejected line changes nothing, and no parse reads the kernel), and
 * the kernel runs a datagram's requests in order, each as if sent alone. So applying every change
 * up to the next line that reads (or the chunk's end), then printing every line's message in
 * line order, gives ipvsadm's state, text and exit status.
 *
 * <p>Bounds: a chunk is at most {@value #CHUNK_LINES} lines or {@value #CHUNK_BYTES} bytes of
 * input, and a line longer than {@value #MAX_LINE_BYTES} bytes is rejected like ipvsadm's
 * fail() (exit 2, nothing after it runs) rather than buffered without end.
 */
public final class RestorePlan {
    /** The longest line accepted (bytes, without its LF); ipvsadm -S writes lines of ~100. */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /** Lines planned (and then applied) together at most. */
    static final int CHUNK_LINES = 1000;
    /** Input bytes planned together at most. */
    static final int CHUNK_BYTES = 1 << 20;
    /** config_stream_read scans tokens with %4096[...]: a longer run of bytes is several tokens. */
    private static final int TOKEN_BYTES = 4096;

    private RestorePlan() {
    }

    /** One non-blank input line, numbered from 1. */
    public sealed interface Step {
        int line();
    }

    /** A change, to be applied with the changes around it. */
    public record Change(int line, IpvsMutation mutation) implements Step {
    }

    /** A line ipvsadm rejects: its message and status; {@code abort} ends the restore there. */
    public record Rejected(int line, String message, int status, boolean abort) implements Step {
    }

    /** A line that reads the kernel or prints (listings, save, -h, -v): runs alone, in turn. */
    public record Direct(int line, IpvsadmCommand command) implements Step {
    }

    /**
     * The steps of some consecutive lines. {@code last}: nothing follows (the input ended, a step
     * aborts, or reading failed); {@code failure}: the input could not be read after these lines.
     */
    public record Chunk(List<Step> steps, boolean last, IOException failure) {
    }

    /** Plans a whole input (raw -R bytes) at once; the last step is the first aborting one, if any. */
    public static List<Step> plan(byte[] input, IpvsadmParser parser) {
        Input in = new Input(new ByteArrayInputStream(input), parser, CHUNK_LINES, CHUNK_BYTES);
        List<Step> steps = new ArrayList<>();
        for (Chunk c = in.next(); ; c = in.next()) {
            steps.addAll(c.steps());
            if (c.last()) {
                return steps;
            }
        }
    }

    /** -R input planned a chunk at a time; never throws (a read failure ends the last chunk). */
    static final class Input {
        private final Lines lines;
        private final IpvsadmParser parser;
        private final int chunkLines;
        private final int chunkBytes;
        private boolean over;

        Input(InputStream in, IpvsadmParser parser, int chunkLines, int chunkBytes) {
            this.lines = new Lines(in, MAX_LINE_BYTES);
            this.parser = parser;
            this.chunkLines = chunkLines;
            this.chunkBytes = chunkBytes;
        }

        /** The next chunk (empty and last once everything has been planned). */
        Chunk next() {
            List<Step> steps = new ArrayList<>();
            if (over) {
                return new Chunk(steps, true, null);
            }
            long start = lines.consumed();
            try {
                for (int n = 0; n < chunkLines && lines.consumed() - start < chunkBytes; n++) {
                    Lines.Kind kind = lines.read();
                    if (kind == Lines.Kind.END) {
                        over = true;
                        break;
                    }
                    Step step;
                    if (kind == Lines.Kind.TOO_LONG) {
                        step = new Rejected(lines.number(), parser.program() + ": line " + lines.number()
                                + " of the restore input is longer than " + MAX_LINE_BYTES + " bytes", 2, true);
                    } else {
                        List<String> tokens = lines.tokens();
                        if (tokens.isEmpty()) {
                            continue;
                        }
                        step = step(lines.number(), tokens, parser);
                    }
                    steps.add(step);
                    if (step instanceof Rejected r && r.abort()) {
                        over = true;
                        break;
                    }
                }
            } catch (IOException e) {
                over = true;
                return new Chunk(steps, true, e);
            }
            return new Chunk(steps, over, null);
        }
    }

    private static Step step(int line, List<String> tokens, IpvsadmParser parser) {
        IpvsadmCommand command;
        try {
            command = parser.parse(tokens);
            if (command instanceof IpvsadmCommand.Restore) {
                throw parser.tryHelp(); // no -R inside -R
            }
        } catch (UsageException e) {
            Outcome o = Outcome.rejected(e);
            return new Rejected(line, e.getMessage(), o.status(), o.abort());
        }
        if (hasNetns(tokens)) {
            // The restore runs in one namespace, the one -R was given; a line cannot move.
            return new Rejected(line, parser.program() + ": --netns is not allowed in restore input (line " + line
                    + "); give it to -R itself", 2, true);
        }
        if (command instanceof IpvsadmCommand.Change c) {
            return new Change(line, c.mutation());
        }
        return new Direct(line, command); // -h, -v, -L, -S
    }

    /** Whether the line gives --netns (as an option, not as another option's value). */
    private static boolean hasNetns(List<String> tokens) {
        boolean maybe = false;
        for (String t : tokens) {
            maybe |= t.startsWith("--netns");
        }
        if (!maybe) {
            return false; // the common case, without tokenizing the line again
        }
        for (PoptTokenizer.Event e : PoptTokenizer.tokenize(tokens)) {
            if (e instanceof PoptTokenizer.OptionEvent o && o.option() == Switch.NETNS) {
                return true;
            }
        }
        return false;
    }

    /**
     * -R input split into lines and tokens as ipvsadm's config_stream_read splits it (facts
     * checked against ipvsadm 1.31 in the lab): tokens are separated by space, tab and CR, a line
     * ends at LF; a run of more than 4096 bytes is several tokens; a token ends at its first NUL
     * byte (what follows on the line still counts); every "ipvsadm" token is dropped; a last line
     * without LF whose trailing blanks are two or more is dropped whole (config_stream_read hits
     * the end of input while skipping them and discards the line). Tokens are UTF-8, as the JVM
     * decodes argv and as the netlink codec encodes names again.
     *
     * <p>Hand-written rather than a regex (java.util.regex is a noticeable share of start-up), a
     * line per call: a cold JVM interprets this, and one loop over the whole input would never get
     * compiled, while a method called once per line soon is.
     */
    static final class Lines {
        enum Kind {
            /** The input is over. */
            END,
            /** A line was read: {@link #tokens()}. */
            LINE,
            /** The line is longer than the cap; its rest is left unread. */
            TOO_LONG
        }

        private final InputStream in;
        private final int maxLine;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int limit;
        private byte[] line = new byte[256];
        private int length;
        private boolean terminated;
        private int number;
        private long consumed;

        Lines(InputStream in, int maxLine) {
            this.in = in;
            this.maxLine = maxLine;
        }

        /** The number of the line last read, from 1. */
        int number() {
            return number;
        }

        /** Input bytes consumed so far. */
        long consumed() {
            return consumed;
        }

        Kind read() throws IOException {
            length = 0;
            boolean started = false;
            while (true) {
                if (pos == limit) {
                    int n = in.read(buf, 0, buf.length);
                    if (n < 0) {
                        if (!started) {
                            return Kind.END;
                        }
                        number++;
                        terminated = false;
                        return Kind.LINE;
                    }
                    pos = 0;
                    limit = n;
                    continue;
                }
                started = true;
                int from = pos;
                while (pos < limit && buf[pos] != '\n') {
                    pos++;
                }
                int n = pos - from;
                if (length + n > maxLine) {
                    number++;
                    return Kind.TOO_LONG;
                }
                if (length + n > line.length) {
                    line = Arrays.copyOf(line, Math.min(maxLine, Math.max(length + n, line.length * 2)));
                }
                System.arraycopy(buf, from, line, length, n);
                length += n;
                consumed += n;
                if (pos < limit) {
                    pos++; // the LF
                    consumed++;
                    number++;
                    terminated = true;
                    return Kind.LINE;
                }
            }
        }

        /** The tokens of the line last read (empty: nothing to run). */
        List<String> tokens() {
            List<String> tokens = new ArrayList<>();
            if (!terminated && length >= 2 && blank(line[length - 1]) && blank(line[length - 2])) {
                return tokens;
            }
            int i = 0;
            while (i < length) {
                if (blank(line[i])) {
                    i++;
                    continue;
                }
                int end = i;
                while (end < length && end - i < TOKEN_BYTES && !blank(line[end])) {
                    end++;
                }
                int cut = i;
                while (cut < end && line[cut] != 0) {
                    cut++; // a C string: the token's bytes after a NUL are never seen
                }
                String token = new String(line, i, cut - i, StandardCharsets.UTF_8);
                if (!token.equals("ipvsadm")) {
                    tokens.add(token);
                }
                i = end;
            }
            return tokens;
        }

        private static boolean blank(byte b) {
            return b == ' ' || b == '\t' || b == '\r';
        }
    }
}

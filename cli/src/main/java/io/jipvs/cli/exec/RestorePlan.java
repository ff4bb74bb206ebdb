package io.jipvs.cli.exec;

import io.jipvs.cli.ipvsadm.IpvsadmCommand;
import io.jipvs.cli.ipvsadm.IpvsadmParser;
import io.jipvs.cli.ipvsadm.UsageException;
import io.jipvs.netlink.ipvs.IpvsMutation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * -R planned ahead, so that its changes can go to the kernel in batches. Every input line is
 * parsed and validated first (nothing here touches the kernel) and becomes a {@link Step}: a
 * change, a rejection to print, or a line that must run on its own against the kernel as it is
 * at that point (listings, -h, -v). Parsing stops at the first line that would end ipvsadm's
 * restore: later lines are never run, so they are never parsed either.
 *
 * <p>Why batching cannot be observed: ipvsadm's per-line changes and its rejections do not
 * depend on one another (a rejected line changes nothing, and no parse reads the kernel), and
 * the kernel runs a datagram's requests in order, each as if sent alone. So applying every change
 * up to the next line that reads, then printing every line's message in line order, gives
 * ipvsadm's state, text and exit status.
 */
public final class RestorePlan {
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
     * Splits -R input into command lines as ipvsadm's config_stream_read does: tokens separated by
     * space, tab, CR or LF, every "ipvsadm" token dropped, lines left without tokens skipped.
     * Hand-written rather than a regex (java.util.regex is a noticeable share of start-up), over
     * the raw bytes, a line per call: a cold JVM interprets this, and one loop over the whole input
     * would never get compiled, while a method called once per line soon is.
     *
     * @return one token list per line, with its line number at the same index of {@code numbers}
     */
    static List<List<String>> lines(byte[] input, List<Integer> numbers) {
        List<List<String>> lines = new ArrayList<>();
        int lineNo = 1;
        for (int from = 0; from < input.length; lineNo++) {
            int end = lineEnd(input, from);
            List<String> tokens = tokens(input, from, end);
            if (!tokens.isEmpty()) {
                lines.add(tokens);
                numbers.add(lineNo);
            }
            from = end + 1;
        }
        return lines;
    }

    /** Where the line starting at {@code from} ends: its LF, or the end of the input. */
    private static int lineEnd(byte[] input, int from) {
        int i = from;
        while (i < input.length && input[i] != '\n') {
            i++;
        }
        return i;
    }

    private static List<String> tokens(byte[] input, int from, int end) {
        List<String> tokens = new ArrayList<>();
        // ipvsadm scans each line as a C string: nothing after a NUL byte is read.
        for (int i = from; i < end; i++) {
            if (input[i] == 0) {
                end = i;
                break;
            }
        }
        int start = -1;
        for (int i = from; i <= end; i++) {
            byte c = i < end ? input[i] : (byte) ' ';
            if (c != ' ' && c != '\t' && c != '\r') {
                if (start < 0) {
                    start = i;
                }
            } else if (start >= 0) {
                // UTF-8, as the JVM decodes argv and as the netlink codec encodes names again
                String token = new String(input, start, i - start, StandardCharsets.UTF_8);
                if (!token.equals("ipvsadm")) {
                    tokens.add(token);
                }
                start = -1;
            }
        }
        return tokens;
    }

    /**
     * Plans the whole input (raw -R bytes, UTF-8 like the command line); the last step is the
     * first aborting one, if any. Never touches the kernel.
     */
    public static List<Step> plan(byte[] input, IpvsadmParser parser) {
        List<Integer> numbers = new ArrayList<>();
        List<List<String>> lines = lines(input, numbers);
        List<Step> steps = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            Step step = step(numbers.get(i), lines.get(i), parser);
            steps.add(step);
            if (step instanceof Rejected r && r.abort()) {
                break;
            }
        }
        return steps;
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
        if (command instanceof IpvsadmCommand.Change c) {
            return new Change(line, c.mutation());
        }
        return new Direct(line, command); // -h, -v, -L, -S
    }
}

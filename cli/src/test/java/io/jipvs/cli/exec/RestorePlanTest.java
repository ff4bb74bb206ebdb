package io.jipvs.cli.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.ipvsadm.IpvsadmParser;
import io.jipvs.cli.names.Resolver;
import io.jipvs.model.Service;
import io.jipvs.netlink.Errno;
import io.jipvs.netlink.ExtendedAck;
import io.jipvs.netlink.ipvs.IpvsException;
import io.jipvs.netlink.ipvs.IpvsMutation;
import io.jipvs.netlink.ipvs.IpvsOperation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestorePlanTest {
    private static final String TRY = "Try `ipvsadm -h' or 'ipvsadm --help' for more information.";
    private final IpvsadmParser parser = new IpvsadmParser("ipvsadm", Resolver.NONE);

    /** The plan as one line per step: "N change OPERATION", "N direct COMMAND", "N reject|abort STATUS MESSAGE". */
    private List<String> plan(String input) {
        List<String> out = new ArrayList<>();
        for (RestorePlan.Step s : steps(input)) {
            if (s instanceof RestorePlan.Change c) {
                out.add(c.line() + " change " + c.mutation().operation());
            } else if (s instanceof RestorePlan.Direct d) {
                out.add(d.line() + " direct " + d.command().getClass().getSimpleName());
            } else {
                RestorePlan.Rejected r = (RestorePlan.Rejected) s;
                out.add(r.line() + (r.abort() ? " abort " : " reject ") + r.status() + " " + r.message());
            }
        }
        return out;
    }

    private List<RestorePlan.Step> steps(String input) {
        return RestorePlan.plan(input.getBytes(StandardCharsets.ISO_8859_1), parser);
    }

    /** Every line's tokens (lines without any left out), with its number at the same index of {@code numbers}. */
    private static List<List<String>> lines(String input, List<Integer> numbers) {
        RestorePlan.Lines lines = new RestorePlan.Lines(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), RestorePlan.MAX_LINE_BYTES);
        List<List<String>> out = new ArrayList<>();
        try {
            while (lines.read() == RestorePlan.Lines.Kind.LINE) {
                List<String> tokens = lines.tokens();
                if (!tokens.isEmpty()) {
                    out.add(tokens);
                    numbers.add(lines.number());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Test
    void tokensAsConfigStreamRead() {
        List<Integer> numbers = new ArrayList<>();
        List<List<String>> lines = lines(
                "-A -t 1.1.1.1:80\n\n  \t\r\nipvsadm\nipvsadm -a\t-t 1.1.1.1:80 ipvsadm -r 2.2.2.2\r\n   -C", numbers);
        assertEquals(List.of(List.of("-A", "-t", "1.1.1.1:80"), List.of("-a", "-t", "1.1.1.1:80", "-r", "2.2.2.2"),
                List.of("-C")), lines);
        assertEquals(List.of(1, 5, 6), numbers);
        assertEquals(List.of(), lines("", new ArrayList<>()));
        assertEquals(List.of(), lines("\n \n", new ArrayList<>()));
        assertEquals(List.of(List.of("ipvsadmx")), lines("ipvsadmx\n", new ArrayList<>()));
    }

    @Test
    void aNulByteEndsItsTokenNotTheLine() {
        // ipvsadm 1.31 in the lab: "-s rr\0x -p 300" gives -s rr -p 300; "\0-s" is an empty
        // argument ("unexpected argument "); "ipvsadm\0x" is the word ipvsadm, dropped.
        assertEquals(List.of(List.of("-A", "-t", "1.1.1.1:80", "-s", "r", "-p", "300"), List.of("", "rr"),
                List.of("-C")), lines("-A -t 1.1.1.1:80 -s r\0r -p 300\n\0-s rr\nipvsadm\0x -C\n", new ArrayList<>()));
    }

    @Test
    void aRunOfMoreThan4096BytesIsSeveralTokens() {
        String run = "x".repeat(4096 * 2 + 904);
        assertEquals(List.of(List.of("-A", "x".repeat(4096), "x".repeat(4096), "x".repeat(904), "-C")),
                lines("-A " + run + " -C\n", new ArrayList<>()));
    }

    @Test
    void aLastLineWithoutNewlineIsDroppedAfterTwoBlanks() {
        // config_stream_read meets the end of input while skipping blanks and discards the line.
        assertEquals(List.of(List.of("-C")), lines("-C\n-A -t 1.1.1.1:80  ", new ArrayList<>()));
        assertEquals(List.of(List.of("-C")), lines("-C\n-A -t 1.1.1.1:80\r\r", new ArrayList<>()));
        assertEquals(List.of(List.of("-C"), List.of("-A", "-t", "1.1.1.1:80")),
                lines("-C\n-A -t 1.1.1.1:80 ", new ArrayList<>()));
        assertEquals(List.of(List.of("-C"), List.of("-A", "-t", "1.1.1.1:80")),
                lines("-C\n-A -t 1.1.1.1:80", new ArrayList<>()));
        assertEquals(List.of(List.of("-A", "-t", "1.1.1.1:80")), lines("-A -t 1.1.1.1:80  \n", new ArrayList<>()));
    }

    @Test
    void theIssuesNulInputsAreKernelErrorsNotCrashes() {
        // printf -- '-A -t 10.0.0.1:80 -s r\0r\n' | ipvsadm -R: "Scheduler or persistence engine
        // not found" from the kernel, and the restore goes on: the plan is a change for "r".
        RestorePlan.Change c = (RestorePlan.Change) steps("-A -t 10.0.0.1:80 -s r\0r\n").get(0);
        assertEquals("r", ((IpvsMutation.AddService) c.mutation()).service().scheduler());
        c = (RestorePlan.Change) steps("-A -t 10.0.0.1:80 --pe s\0ip\n").get(0);
        assertEquals("s", ((IpvsMutation.AddService) c.mutation()).service().persistenceEngine());
        assertEquals(List.of("1 abort 2 invalid timeout value `' specified"), plan("-A -t 10.0.0.4:80 -p \0 300\n"));
    }

    @Test
    void aLineOverTheCapIsRejectedAndNothingAfterItIsRead() {
        String input = "-A -t 10.0.0.1:80\n-Z " + "x".repeat(RestorePlan.MAX_LINE_BYTES) + "\n-C\n";
        assertEquals(List.of("1 change ADD_SERVICE",
                "2 abort 2 ipvsadm: line 2 of the restore input is longer than 65536 bytes"), plan(input));
        // The cap is on the line's bytes without its LF: a line of exactly the cap is read.
        String atCap = "-C" + " ".repeat(RestorePlan.MAX_LINE_BYTES - 2) + "\n";
        assertEquals(List.of("1 change FLUSH"), plan(atCap));
    }

    @Test
    void anEndlessLineEndsAfterTheCapWithoutReadingOn() {
        long[] served = new long[1];
        InputStream zeros = new InputStream() {
            @Override
            public int read() {
                served[0]++;
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                served[0] += len;
                Arrays.fill(b, off, off + len, (byte) 0);
                return len;
            }
        };
        RestorePlan.Chunk c = new RestorePlan.Input(zeros, parser, RestorePlan.CHUNK_LINES, RestorePlan.CHUNK_BYTES)
                .next();
        assertEquals(List.of(new RestorePlan.Rejected(1,
                "ipvsadm: line 1 of the restore input is longer than 65536 bytes", 2, true)), c.steps());
        assertTrue(c.last());
        assertTrue(served[0] <= RestorePlan.MAX_LINE_BYTES + 16 * 1024, "read " + served[0] + " bytes");
    }

    @Test
    void chunksAreBoundedInLinesAndBytes() {
        String input = "-Z\n".repeat(2500);
        RestorePlan.Input in = new RestorePlan.Input(new ByteArrayInputStream(input.getBytes(StandardCharsets.US_ASCII)),
                parser, 1000, 1 << 20);
        assertEquals(1000, in.next().steps().size());
        assertEquals(1000, in.next().steps().size());
        RestorePlan.Chunk last = in.next();
        assertEquals(500, last.steps().size());
        assertEquals(2001, last.steps().get(0).line());
        RestorePlan.Chunk end = in.next();
        assertTrue(end.last() && end.steps().isEmpty());
        // 100-byte lines, 1,000 bytes a chunk: ten lines each.
        String wide = ("-Z" + " ".repeat(97) + "\n").repeat(25);
        in = new RestorePlan.Input(new ByteArrayInputStream(wide.getBytes(StandardCharsets.US_ASCII)), parser, 1000,
                1000);
        assertEquals(10, in.next().steps().size());
    }

    @Test
    void netnsOnARestoreLineIsRefusedAndEndsTheRestore() {
        assertEquals(List.of("1 change ADD_SERVICE",
                "2 abort 2 ipvsadm: --netns is not allowed in restore input (line 2); give it to -R itself"),
                plan("-A -t 10.0.0.1:80\n-A -t 10.0.0.2:80 --netns other\n-C\n"));
        assertEquals(List.of("1 abort 2 ipvsadm: --netns is not allowed in restore input (line 1); give it to -R itself"),
                plan("--netns=/proc/1/ns/net -Ln\n"));
        // Only the option counts: the same word as a scheduler's name is the kernel's to refuse.
        assertEquals(List.of("1 change ADD_SERVICE"), plan("-A -t 10.0.0.1:80 -s --netns\n"));
    }

    @Test
    void changesRejectionsAndReadsInLineOrder() {
        assertEquals(List.of(
                "1 change ADD_SERVICE",
                "2 change ADD_DESTINATION",
                "4 reject 255 --foo: unknown option",
                "5 direct Listing",
                "6 change UPDATE_SERVICE",
                "7 direct Save",
                "8 change DELETE_DESTINATION",
                "9 change FLUSH",
                "10 change ZERO",
                "11 change SET_TIMEOUTS"),
                plan("-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.1.1 -m\n\n-A -t 10.0.0.2:80 --foo\n-Ln\n"
                        + "-E -t 10.0.0.1:80 -s wlc\n-Sn\n-d -t 10.0.0.1:80 -r 10.0.1.1\n-C\n-Z\n--set 1 2 3\n"));
    }

    @Test
    void stopsAtTheFirstAbortingLineWithoutParsingTheRest() {
        // fail() (exit 2) and "Try" (exit 255) end ipvsadm's restore; the line after is never run.
        assertEquals(List.of("1 change ADD_SERVICE", "2 abort 2 unexpected argument #"),
                plan("-A -t 10.0.0.1:80\n-A -t 10.0.0.2:80 # comment\n-A -t 10.0.0.3:80\n-A -t bad\n"));
        assertEquals(List.of("1 abort 255 " + TRY), plan("# a comment\n-A -t 10.0.0.1:80\n"));
        assertEquals(List.of("1 change ADD_SERVICE", "2 abort 255 " + TRY), plan("-A -t 10.0.0.1:80\n-R\n-C\n"));
        assertEquals(List.of("1 change ADD_SERVICE", "2 abort 2 Illegal 'numeric' option with the 'restore' command"),
                plan("-A -t 10.0.0.1:80\n-R -n\n-C\n"));
        // -h and -v run (and print) in turn; the executor ends the restore after them.
        assertEquals(List.of("1 direct Version", "2 change ADD_SERVICE"), plan("-v\n-A -t 10.0.0.1:80\n"));
    }

    private static String report(List<RestorePlan.Step> steps, List<IpvsException> errors, int status,
                                 int[] outcome) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Outcome o = RestoreRunner.report(steps, errors, status, err);
        outcome[0] = o.status();
        outcome[1] = o.abort() ? 1 : 0;
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static IpvsException kernel(IpvsOperation op, int errno) {
        return new IpvsException(op, errno, ExtendedAck.NONE);
    }

    @Test
    void reportsKernelAndParseErrorsInLineOrderAndEndsWithTheLastStatus() {
        List<RestorePlan.Step> steps = steps("-A -t 10.0.0.1:80\n-a -t 10.0.0.9:80 -r 10.0.1.1\n"
                + "-A -t 10.0.0.2:80\n-A -t 10.0.0.3:80 --foo\n-A -t 10.0.0.4:80\n");
        assertEquals(5, steps.size());
        int[] o = new int[2];
        String text = report(steps, Arrays.asList(null, kernel(IpvsOperation.ADD_DESTINATION, Errno.ESRCH), null,
                kernel(IpvsOperation.ADD_SERVICE, Errno.EEXIST)), 0, o);
        assertEquals("Service not defined\n--foo: unknown option\nService already exists\n", text);
        assertEquals(255, o[0]);
        assertEquals(0, o[1]);

        // The last line succeeding makes the restore succeed, whatever failed before.
        text = report(steps, Arrays.asList(null, kernel(IpvsOperation.ADD_DESTINATION, Errno.ESRCH), null, null), 0, o);
        assertEquals("Service not defined\n--foo: unknown option\n", text);
        assertEquals(0, o[0]);
    }

    @Test
    void reportStopsAtAnAbortAfterEarlierKernelErrors() {
        List<RestorePlan.Step> steps = steps(
                "-D -t 10.0.0.1:80\n-A -t 10.0.0.2:80 -s rr -s rr\n-A -t 10.0.0.3:80\n");
        assertEquals(2, steps.size());
        int[] o = new int[2];
        String text = report(steps, Arrays.asList(kernel(IpvsOperation.DELETE_SERVICE, Errno.ESRCH)), 0, o);
        assertEquals("No such service\nmultiple 'scheduler' options specified\n", text);
        assertEquals(2, o[0]);
        assertEquals(1, o[1]);
    }

    @Test
    void emptyRunKeepsTheStatusSoFar() {
        int[] o = new int[2];
        assertEquals("", report(List.of(), List.of(), 255, o));
        assertEquals(255, o[0]);
    }

    @Test
    void mutationsCarryTheParsedValues() {
        RestorePlan.Change c = (RestorePlan.Change) steps(
                "-a -t 10.0.0.1:80 -r 10.0.1.1 -i -w 7 --tun-type gue --tun-port 6080 --tun-csum\n").get(0);
        IpvsMutation.AddDestination add = (IpvsMutation.AddDestination) c.mutation();
        assertEquals("10.0.0.1", add.service().address().getHostAddress());
        assertEquals(80, add.service().port());
        assertEquals("10.0.1.1", add.destination().address().getHostAddress());
        assertEquals(80, add.destination().port()); // ipvsadm takes the service's port
        assertEquals(7, add.destination().weight());
        assertEquals(6080, add.destination().tunnelPort());
        RestorePlan.Change zero = (RestorePlan.Change) steps("-Z -t 0.0.0.0:0\n").get(0);
        assertTrue(((IpvsMutation.Zero) zero.mutation()).service() == null, "all-zero service means zero all");
    }

    @Test
    void inputIsUtf8LikeTheCommandLine() {
        // "-s" with nine é (18 bytes in UTF-8): decoded as UTF-8 and cut to the kernel's 15 bytes,
        // the scheduler is seven é — what the same line gives on the command line.
        RestorePlan.Change c = (RestorePlan.Change) RestorePlan.plan(
                "-A -t 10.0.0.1:80 -s \u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\n"
                        .getBytes(StandardCharsets.UTF_8), parser).get(0);
        Service service = ((IpvsMutation.AddService) c.mutation()).service();
        assertEquals("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", service.scheduler());
        assertEquals(14, service.scheduler().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aNulByteEndsANameAsInC() {
        RestorePlan.Change c = (RestorePlan.Change) RestorePlan.plan(
                "-A -t 10.0.0.1:80 -s rr\0xyz\n".getBytes(StandardCharsets.UTF_8), parser).get(0);
        assertEquals("rr", ((IpvsMutation.AddService) c.mutation()).service().scheduler());
    }
}

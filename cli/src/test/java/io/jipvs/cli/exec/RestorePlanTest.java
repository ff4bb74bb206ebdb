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
import java.io.ByteArrayOutputStream;
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

    private static List<List<String>> lines(String input, List<Integer> numbers) {
        return RestorePlan.lines(input.getBytes(StandardCharsets.ISO_8859_1), numbers);
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
        assertEquals(List.of(List.of("-A", "-t", "1.1.1.1:80", "-s", "r"), List.of("-C")),
                lines("-A -t 1.1.1.1:80 -s r\0r -p 300\n\0-L\n-C\n", new ArrayList<>()));
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

package io.jipvs.cli;

import io.jipvs.cli.exec.Executor;
import io.jipvs.cli.ipvsadm.IpvsadmErrors;
import io.jipvs.cli.ipvsadm.PoptTokenizer;
import io.jipvs.cli.ipvsadm.Switch;
import io.jipvs.cli.ipvsadm.Usage;
import io.jipvs.cli.names.SystemResolver;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.ipvs.Ipvs;
import io.jipvs.netlink.ipvs.IpvsClient;
import io.jipvs.netlink.ipvs.IpvsException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The jipvs entry point. {@link #run} is re-entrant (no static mutable state, no System.exit)
 * so tests can drive many command lines in one JVM.
 *
 * <p>{@code jipvs SUBCOMMAND ...} goes to Picocli ({@link JipvsCommand}); everything else is an
 * ipvsadm command line, parsed by the popt-compatible parser. Picocli is not even loaded on that
 * path: building its model costs start-up time a listing should not pay.
 */
public final class Jipvs {
    private Jipvs() {
    }

    public static void main(String[] args) {
        // Buffered: listings print service by service, and each print would otherwise be a write(2).
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        String program = System.getProperty("jipvs.program", "jipvs");
        int status = run(program, args, System.in, out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs one jipvs command line as program "jipvs". */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run("jipvs", args, in, out, err);
    }

    /**
     * Runs one command line; {@code program} is the name messages use (ipvsadm prints argv[0]).
     *
     * @return the exit status
     */
    public static int run(String program, String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(program, args, in, out, err, null);
    }

    /**
     * The IPVS table a command line acts on, when whoever runs it has chosen it already: the
     * resident daemon runs each caller's line over the netlink socket that caller opened.
     *
     * @param open    opens the client, failing with an {@link IpvsException} as IpvsClient.open does
     * @param netnsFd the network namespace -L -c reads (an open descriptor), or -1 for this process's
     */
    public record Table(Supplier<Ipvs> open, int netnsFd) {
    }

    /**
     * Runs one command line on {@code table}, or, when it is null, on the table the line names
     * (--netns) or this process's.
     *
     * @return the exit status
     */
    public static int run(String program, String[] args, InputStream in, PrintStream out, PrintStream err,
                          Table table) {
        if (args.length == 1 && args[0].equals("--help-all")) {
            args = new String[] {"help"};
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-v"))
                && !Usage.invokedAsIpvsadm(program)) {
            // jipvs's own version needs no IPVS (ipvsadm's -v opens it first, and so does jipvs as ipvsadm).
            out.print(Usage.version(program));
            out.flush();
            return 0;
        }
        if (isSubcommandLine(args)) {
            CommandLine cl = JipvsCommand.commandLine(program, table, in);
            cl.setOut(new java.io.PrintWriter(out, true));
            cl.setErr(new java.io.PrintWriter(err, true));
            return cl.execute(args);
        }
        List<String> argv = Arrays.asList(args);
        Path netns = netns(argv);
        // Like ipvsadm, reach IPVS before looking at the arguments (even -h needs it).
        Ipvs client;
        try {
            if (table != null) {
                client = table.open().get();
            } else {
                client = netns == null ? IpvsClient.open() : IpvsClient.open(netns);
            }
        } catch (IpvsException e) {
            err.println(IpvsadmErrors.text(e));
            return 2;
        } catch (NetlinkException e) {
            err.println("Can't open network namespace " + netns + ": " + e.getMessage());
            return 2;
        }
        try (client) {
            Executor executor = table == null
                    ? new Executor(client, netns, program, new SystemResolver(), in, out, err)
                    : new Executor(client, table.netnsFd(), program, new SystemResolver(), in, out, err);
            // No arguments at all (--netns aside): ipvsadm lists (names resolved, sorted).
            return executor.execute(onlyNetns(argv) ? concat(argv, "-L") : argv);
        } finally {
            out.flush();
        }
    }

    /**
     * True for {@code jipvs SUBCOMMAND ...}, false for an ipvsadm command line. Subcommand names
     * never start with '-' and ipvsadm command lines almost always do: the test keeps
     * JipvsCommand (and its annotation reading) off every ipvsadm start-up.
     */
    public static boolean isSubcommandLine(String[] args) {
        return args.length > 0 && !args[0].startsWith("-") && JipvsCommand.isSubcommand(args[0]);
    }

    /**
     * Why the resident daemon must not run this subcommand line, or null when it may (see
     * {@link DaemonServed}).
     *
     * @param args          a subcommand line ({@link #isSubcommandLine} is true)
     * @param stdinTerminal whether the caller's standard input is a terminal
     * @return the reason, or null
     */
    public static String subcommandDeclinedByDaemon(String[] args, boolean stdinTerminal) {
        return JipvsCommand.declinedByDaemon(args, stdinTerminal);
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.add(b);
        return out;
    }

    /**
     * True when the line says nothing but where to work: empty, or only --netns in any of its
     * spellings (--netns X, --netns=X).
     */
    static boolean onlyNetns(List<String> argv) {
        for (PoptTokenizer.Event e : PoptTokenizer.tokenize(argv)) {
            if (!(e instanceof PoptTokenizer.OptionEvent o && o.option() == Switch.NETNS)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the command line reads standard input: it has -R (--restore) in it. */
    public static boolean readsStdin(List<String> argv) {
        return option(argv, Switch.RESTORE) != null;
    }

    /** The --netns value, as a path: a bare name means /run/netns/NAME (as `ip netns` uses). */
    public static Path netns(List<String> argv) {
        PoptTokenizer.OptionEvent o = option(argv, Switch.NETNS);
        if (o == null) {
            return null;
        }
        return NetnsOption.path(o.value());
    }

    /** The first occurrence of {@code option} on the command line, or null. */
    private static PoptTokenizer.OptionEvent option(List<String> argv, Switch option) {
        for (PoptTokenizer.Event e : PoptTokenizer.tokenize(argv)) {
            if (e instanceof PoptTokenizer.OptionEvent o && o.option() == option) {
                return o;
            }
        }
        return null;
    }
}

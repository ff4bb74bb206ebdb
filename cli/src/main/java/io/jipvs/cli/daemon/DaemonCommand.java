package io.jipvs.cli.daemon;

import io.jipvs.cli.Jipvs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** jipvs daemon: one resident JVM that runs the ipvsadm command lines of this network namespace. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Stay in the foreground and run the ipvsadm command lines that `jipvs` is given in this"
                + " network namespace, so that each command costs a few system calls instead of a JVM start."
                + " Output, errors and exit codes are the same either way. Only root with CAP_NET_ADMIN is"
                + " served; other callers, other namespaces and the helper subcommands run as before. Stop it"
                + " with SIGTERM: it takes no new command, lets those running finish (up to 60 s) and exits."})
public final class DaemonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private static final Path RUN_NETNS = Path.of("/run/netns");

    @Option(names = "--verbose", description = "Log each command line served or declined to standard error.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Daemon daemon;
        try {
            daemon = Daemon.bind(DaemonCommand::declines, err, verbose);
        } catch (IOException e) {
            err.println("jipvs daemon: cannot listen on @" + Wire.SOCKET_NAME + ": " + e.getMessage()
                    + " (is a daemon already running in this network namespace?)");
            return 1;
        }
        // SIGTERM, SIGINT and SIGHUP run the hooks before the JVM exits: the commands in flight
        // (client threads are daemon threads) finish there instead of being cut off mid-batch.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> daemon.stop(Daemon.STOP_WAIT), "jipvs-daemon-stop"));
        err.println("jipvs daemon: serving @" + Wire.SOCKET_NAME + " in network namespace " + namespace());
        err.flush();
        try (daemon) {
            daemon.serve();
            return 0;
        } catch (IOException e) {
            err.println("jipvs daemon: " + e.getMessage());
            return 1;
        }
    }

    /**
     * What must keep running in a process of its own:
     * <ul>
     * <li>the helper subcommands: state files, and rarely run;</li>
     * <li>-R from a terminal: should the caller be interrupted, the daemon would go on reading
     * the terminal and applying what is typed there;</li>
     * <li>--netns other than a name in /run/netns: a relative path means the caller's working
     * directory, /proc/self the daemon; and entering a namespace takes CAP_SYS_ADMIN, which the
     * caller must have itself.</li>
     * </ul>
     */
    static String declines(Wire.Request request, Peer peer, boolean stdinTerminal) {
        String[] args = request.args().toArray(String[]::new);
        if (Jipvs.isSubcommandLine(args)) {
            return "a helper subcommand";
        }
        if (stdinTerminal && Jipvs.readsStdin(request.args())) {
            return "-R from a terminal";
        }
        Path netns = Jipvs.netns(request.args());
        if (netns != null) {
            if (!netns.isAbsolute() || !netns.normalize().startsWith(RUN_NETNS) || !netns.normalize().equals(netns)) {
                return "--netns outside /run/netns";
            }
            if (!peer.sysAdmin()) {
                return "--netns without CAP_SYS_ADMIN";
            }
        }
        return null;
    }

    private static String namespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        } catch (IOException e) {
            return "(unknown)";
        }
    }
}

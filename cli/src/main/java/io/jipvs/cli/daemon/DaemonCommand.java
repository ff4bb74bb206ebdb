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
        header = "Run this namespace's jipvs commands in one resident JVM.",
        description = {"Stay in the foreground and run the ipvsadm command lines that `jipvs` is given in this"
                + " network namespace, so that each command costs a few system calls instead of a JVM start."
                + " Output, errors and exit codes are the same either way. Listens on"
                + " /run/jipvs/daemon-COOKIE.sock (COOKIE: the network namespace's SO_NETNS_COOKIE), or on the"
                + " socket systemd passes (LISTEN_FDS=1). Each command runs over the netlink socket its caller"
                + " opened, so the kernel grants it exactly what the caller could do alone. Stop it with"
                + " SIGTERM: it takes no new command, lets those running finish (up to 60 s) and exits."})
public final class DaemonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", description = "Log each command line served or declined to standard error.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Daemon daemon;
        try {
            daemon = Daemon.listen(DaemonCommand::declines, err, verbose);
        } catch (IOException | RuntimeException e) {
            err.println("jipvs daemon: cannot listen: " + e.getMessage());
            return 1;
        }
        // SIGTERM, SIGINT and SIGHUP run the hooks before the JVM exits: the commands in flight
        // (client threads are daemon threads) finish there instead of being cut off mid-batch.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.stop(Daemon.STOP_WAIT);
            try {
                daemon.close();
            } catch (IOException ignored) {
                // Exiting anyway; the next daemon removes a stale socket.
            }
        }, "jipvs-daemon-stop"));
        err.println("jipvs daemon: serving " + daemon.address() + " in network namespace " + namespace());
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
     * What must keep running in a process of its own (for serve's command socket too):
     * <ul>
     * <li>the helper subcommands: state files, and rarely run; of the subcommands only those that
     * are {@link io.jipvs.cli.DaemonServed} run here, and only the lines they accept;</li>
     * <li>-R from a terminal: should the caller be interrupted, the daemon would go on reading
     * the terminal and applying what is typed there.</li>
     * </ul>
     * Where a command may act (--netns) is not decided here: the caller's client opened the
     * netlink socket there with its own privileges, and the kernel judges every request by it.
     *
     * @param request       the caller's command line
     * @param stdinTerminal whether the caller's standard input is a terminal
     * @return why the line is declined (the caller runs it itself), or null to serve it
     */
    public static String declines(Wire.Request request, boolean stdinTerminal) {
        String[] args = request.args().toArray(String[]::new);
        if (Jipvs.isSubcommandLine(args)) {
            return Jipvs.subcommandDeclinedByDaemon(args, stdinTerminal);
        }
        if (stdinTerminal && Jipvs.readsStdin(request.args())) {
            return "-R from a terminal";
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

package io.jipvs.cli;

import io.jipvs.cli.daemon.DaemonCommand;
import io.jipvs.cli.desired.ApplyCommand;
import io.jipvs.cli.desired.ConvertCommand;
import io.jipvs.cli.desired.DiffCommand;
import io.jipvs.cli.desired.ExportCommand;
import io.jipvs.cli.observe.MetricsCommand;
import io.jipvs.cli.realserver.DirectorSetupCommand;
import io.jipvs.cli.realserver.DirectorStatusCommand;
import io.jipvs.cli.realserver.DirectorTeardownCommand;
import io.jipvs.cli.realserver.RsSetupCommand;
import io.jipvs.cli.realserver.RsStatusCommand;
import io.jipvs.cli.realserver.RsTeardownCommand;
import io.jipvs.cli.serve.AnnounceCommand;
import io.jipvs.cli.serve.CtlCommand;
import io.jipvs.cli.serve.ServeCommand;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The Picocli command tree of jipvs: the top-level command, whose own syntax is ipvsadm's (see
 * {@link Jipvs}), and the ordinary subcommands beside it. Register a subcommand by adding its
 * class to {@link #SUBCOMMANDS}; it is then reachable as {@code jipvs NAME ...}, with Picocli's
 * help, parsing and exit codes.
 */
@Command(name = "jipvs", mixinStandardHelpOptions = false,
        description = "IPVS control plane with ipvsadm's command line.")
public final class JipvsCommand implements Callable<Integer> {

    /** Subcommand classes (each annotated with @Command(name = ...)), in the order help lists them. */
    public static final List<Class<?>> SUBCOMMANDS = List.of(
            RsSetupCommand.class, RsTeardownCommand.class, RsStatusCommand.class,
            DirectorSetupCommand.class, DirectorTeardownCommand.class, DirectorStatusCommand.class,
            DaemonCommand.class, ApplyCommand.class, DiffCommand.class, ExportCommand.class, ConvertCommand.class, ServeCommand.class,
            MetricsCommand.class, CtlCommand.class, AnnounceCommand.class, HelpCommand.class);

    /** argv[0] as invoked: ipvsadm's usage, which help prints, names the program so. */
    private final String program;

    JipvsCommand(String program) {
        this.program = program;
    }

    String program() {
        return program;
    }

    @Override
    public Integer call() {
        // Reached only through a subcommand dispatch without a subcommand, which Jipvs never does.
        return 2;
    }

    /** True when {@code name} is a registered subcommand (reads annotations only: cheap at start-up). */
    static boolean isSubcommand(String name) {
        for (Class<?> c : SUBCOMMANDS) {
            Command a = c.getAnnotation(Command.class);
            if (a != null && a.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why the daemon must not run this subcommand line, or null when it may: only
     * {@link DaemonServed} subcommands, and only lines they accept. A line that does not parse
     * is declined (the caller's own JVM reports the error).
     */
    static String declinedByDaemon(String[] args, boolean stdinTerminal) {
        CommandLine.ParseResult parsed;
        try {
            parsed = commandLine().parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return "a subcommand line that does not parse";
        }
        if (!parsed.hasSubcommand()) {
            return "no subcommand";
        }
        Object command = parsed.subcommand().commandSpec().userObject();
        if (!(command instanceof DaemonServed served)) {
            return "a helper subcommand";
        }
        return served.declines(stdinTerminal);
    }

    /** A Picocli command line with every subcommand registered (also the model man pages and completion are made from). */
    public static CommandLine commandLine() {
        return commandLine("jipvs", null, System.in);
    }

    /**
     * A Picocli command line with every subcommand registered. Subcommands that read standard
     * input ({@link ReadsInput}) get {@code in}; with a {@code table}, each {@link DaemonServed}
     * subcommand is made to work on it (the daemon's path).
     */
    static CommandLine commandLine(String program, Jipvs.Table table, java.io.InputStream in) {
        CommandLine.IFactory plain = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K made = plain.create(type);
                if (made instanceof ReadsInput reads) {
                    reads.input(in);
                }
                if (table != null && made instanceof DaemonServed served) {
                    served.serveOn(table);
                }
                return made;
            }
        };
        CommandLine cl = new CommandLine(new JipvsCommand(program), factory);
        JipvsVersion version = new JipvsVersion();
        for (Class<?> c : SUBCOMMANDS) {
            cl.addSubcommand(c);
        }
        // Every subcommand's -V/--version says what jipvs --version says.
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(version));
        // No @file arguments: a command allowed through sudo (rs-status) would print a file it
        // can read and its caller cannot in its error message. Set last: it reaches the
        // subcommands registered so far.
        cl.setExpandAtFiles(false);
        return cl;
    }
}

package io.jipvs.cli.exec;

import io.jipvs.cli.ipvsadm.IpvsadmCommand;
import io.jipvs.cli.ipvsadm.IpvsadmErrors;
import io.jipvs.cli.ipvsadm.IpvsadmParser;
import io.jipvs.cli.ipvsadm.Usage;
import io.jipvs.cli.ipvsadm.UsageException;
import io.jipvs.cli.names.Resolver;
import io.jipvs.netlink.ipvs.Ipvs;
import io.jipvs.netlink.ipvs.IpvsException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs ipvsadm command lines against one IPVS table: parses a line into an {@link IpvsadmCommand}
 * and dispatches on its type — a change is applied through {@link Ipvs}, listings go to
 * {@link Listings}, -R to {@link RestoreRunner}. Exit statuses are {@link Outcome}'s. Holds no
 * state beyond the table, streams and names of one jipvs run.
 */
public final class Executor {
    private final Ipvs ipvs;
    private final String program;
    private final Resolver resolver;
    private final InputStream in;
    private final Output out;
    private final PrintStream err;
    private final Listings listings;

    /**
     * @param netnsFile the namespace {@code ipvs} works in (for the connection table), or null
     *                  for this process's
     */
    public Executor(Ipvs ipvs, Path netnsFile, String program, Resolver resolver, InputStream in, PrintStream out,
                    PrintStream err) {
        this(ipvs, new ConnectionTable(netnsFile), program, resolver, in, out, err);
    }

    /**
     * @param netnsFd the namespace {@code ipvs} works in (for the connection table), as an open
     *                descriptor, or -1 for this process's
     */
    public Executor(Ipvs ipvs, int netnsFd, String program, Resolver resolver, InputStream in, PrintStream out,
                    PrintStream err) {
        this(ipvs, netnsFd < 0 ? new ConnectionTable(null) : new ConnectionTable(netnsFd), program, resolver, in,
                out, err);
    }

    Executor(Ipvs ipvs, ConnectionTable connectionTable, String program, Resolver resolver, InputStream in,
             PrintStream out, PrintStream err) {
        this.ipvs = ipvs;
        this.program = program;
        this.resolver = resolver;
        this.in = in;
        this.out = new Output(out);
        this.err = err;
        this.listings = new Listings(ipvs, connectionTable, program, resolver, this.out, err);
    }

    /** One command line (without the program name); returns the exit status. */
    public int execute(List<String> args) {
        IpvsadmCommand command;
        try {
            command = parser().parse(args);
        } catch (UsageException e) {
            err.println(e.getMessage());
            return Outcome.rejected(e).status();
        }
        return perform(command).status();
    }

    private IpvsadmParser parser() {
        return new IpvsadmParser(program, resolver);
    }

    private Outcome restore() {
        // An anonymous class, not this::perform: a lambda's bootstrap is a cost a cold JVM notices.
        RestoreRunner.Direct direct = new RestoreRunner.Direct() {
            @Override
            public Outcome run(IpvsadmCommand command) {
                return perform(command);
            }
        };
        return new RestoreRunner(ipvs, program, err, direct).run(in, parser());
    }

    /** Runs one parsed command against the table. */
    private Outcome perform(IpvsadmCommand command) {
        try {
            if (command instanceof IpvsadmCommand.Change c) {
                ipvs.apply(c.mutation());
                return Outcome.DONE;
            }
            if (command instanceof IpvsadmCommand.Listing l) {
                return listings.list(l);
            }
            if (command instanceof IpvsadmCommand.Save s) {
                return listings.save(s);
            }
            if (command instanceof IpvsadmCommand.Restore) {
                return restore();
            }
            if (command instanceof IpvsadmCommand.Help) {
                out.emit(Usage.help(program));
                return Outcome.PRINTED_AND_EXITED;
            }
            if (command instanceof IpvsadmCommand.Version) {
                out.emit(Usage.version(program));
                return Outcome.PRINTED_AND_EXITED;
            }
            throw new IllegalStateException("no execution for " + command);
        } catch (IpvsException e) {
            err.println(IpvsadmErrors.text(e));
            return Outcome.kernelFailed(command);
        }
    }
}

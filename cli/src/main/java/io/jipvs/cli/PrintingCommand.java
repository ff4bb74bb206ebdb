package io.jipvs.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand that prints through the writers of the command line it runs in (so tests and the
 * resident daemon see its output) and exits with the status its body returns.
 */
public abstract class PrintingCommand implements Callable<Integer> {

    /** The command's model, injected by Picocli: its name and its command line's writers. */
    @Spec
    protected CommandSpec spec;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return execute(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The command's work.
     *
     * @param out standard output
     * @param err standard error
     * @return the exit status
     */
    protected abstract int execute(PrintWriter out, PrintWriter err);

    /**
     * The command's name, as its messages start with it.
     *
     * @return e.g. "apply"
     */
    protected final String name() {
        return spec.name();
    }
}

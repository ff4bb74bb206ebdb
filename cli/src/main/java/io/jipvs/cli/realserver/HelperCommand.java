package io.jipvs.cli.realserver;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every real-server and director helper shares: where it acts (--netns, --state-dir), the
 * writers of the command line it runs in, and an exit code (0 done or ready, 1 failed or not
 * ready, 2 bad usage).
 */
abstract class HelperCommand implements Callable<Integer> {

    @Mixin
    HostOptions where = new HostOptions();

    @Spec
    CommandSpec spec;

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

    abstract int execute(PrintWriter out, PrintWriter err);

    /** The command's name, as messages start with it. */
    final String name() {
        return spec.name();
    }
}

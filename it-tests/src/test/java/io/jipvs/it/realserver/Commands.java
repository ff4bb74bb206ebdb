package io.jipvs.it.realserver;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs a jipvs helper command in-process, as `jipvs NAME ARGS` would, capturing what it prints. */
final class Commands {
    private Commands() {
    }

    record Result(int exitCode, String out, String err) {
        Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + "\nout:\n" + out + "\nerr:\n" + err);
            }
            return this;
        }
    }

    static Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Result(rc, out.toString(), err.toString());
    }

    static String[] args(String netns, String stateDir, String... rest) {
        List<String> a = new ArrayList<>(List.of(rest));
        a.addAll(List.of("--netns", netns, "--state-dir", stateDir));
        return a.toArray(String[]::new);
    }
}

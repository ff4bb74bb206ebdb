package io.jipvs.it.demo;

import io.jipvs.cli.realserver.RealServerCommands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The real-server helpers as `NAME ARGS...` for the demo script, until the main jipvs command
 * (another branch) registers them; then the script calls `jipvs NAME ARGS...` instead.
 */
@Command(name = "jipvs", mixinStandardHelpOptions = true, description = "Real-server helpers (demo entry).")
public final class HelperCommands {

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new HelperCommands());
        RealServerCommands.all().forEach(cl::addSubcommand);
        System.exit(cl.execute(args));
    }
}

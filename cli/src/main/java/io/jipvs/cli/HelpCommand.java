package io.jipvs.cli;

import io.jipvs.cli.ipvsadm.Usage;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jipvs help} (also {@code jipvs --help-all}): everything jipvs takes, in one place. ipvsadm's
 * own -h stays byte for byte ipvsadm's and so cannot mention the subcommands; this can. Unlike -h it
 * needs no IPVS: it answers on a host that has not loaded the module yet.
 */
@Command(name = "help", mixinStandardHelpOptions = true, header = "List ipvsadm's syntax and every subcommand, or show one subcommand's help.",
        description = "With SUBCOMMAND: that subcommand's help, as jipvs SUBCOMMAND --help.")
public final class HelpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "SUBCOMMAND", description = "A subcommand whose help to show.")
    String subcommand;

    @Override
    public Integer call() {
        CommandLine root = spec.parent().commandLine();
        PrintWriter out = spec.commandLine().getOut();
        if (subcommand != null) {
            CommandLine sub = root.getSubcommands().get(subcommand);
            if (sub == null) {
                spec.commandLine().getErr().println("jipvs help: no subcommand '" + subcommand
                        + "' (jipvs help lists them)");
                return 2;
            }
            sub.usage(out);
            return 0;
        }
        String program = ((JipvsCommand) spec.parent().userObject()).program();
        String ipvsadm = Usage.help(program);
        out.print(Usage.version(program));
        // -h's text without its first line, which is the version line printed just above.
        out.print(ipvsadm.substring(ipvsadm.indexOf('\n') + 1));
        out.println();
        out.println("Subcommands (jipvs SUBCOMMAND --help, or jipvs help SUBCOMMAND, for each):");
        Map<String, CommandLine> subcommands = root.getSubcommands();
        int width = subcommands.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        for (Map.Entry<String, CommandLine> e : subcommands.entrySet()) {
            String[] header = e.getValue().getCommandSpec().usageMessage().header();
            out.printf("  %-" + width + "s%s%n", e.getKey(), header.length > 0 ? header[0] : "");
        }
        out.flush();
        return 0;
    }
}

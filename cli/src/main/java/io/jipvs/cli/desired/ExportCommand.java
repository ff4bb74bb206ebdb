package io.jipvs.cli.desired;

import io.jipvs.control.config.ConfigFormat;
import io.jipvs.control.config.ConfigWriter;
import io.jipvs.control.fullnat.Nft;
import io.jipvs.control.reconcile.ActualState;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jipvs export: the table as a desired-state file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        header = "Print the IPVS table as a desired-state file (YAML or JSON).", description = {
        "Print the IPVS table as a desired-state file (YAML, or JSON with --json): only what differs",
        "from the defaults. `jipvs export | jipvs apply -f -` changes nothing."})
public final class ExportCommand extends TableCommand {

    @Option(names = "--json", description = "Write JSON instead of YAML.")
    boolean json;

    @Override
    protected int execute(PrintWriter out, PrintWriter err) {
        return inTable(out, err, (ipvs, o, e) -> {
            o.print(ConfigWriter.write(ActualState.dump(ipvs).withSnat(Nft.find().list()).toDesired(), json ? ConfigFormat.JSON : ConfigFormat.YAML));
            return OK;
        });
    }
}

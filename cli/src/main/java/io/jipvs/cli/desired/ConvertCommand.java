package io.jipvs.cli.desired;

import io.jipvs.cli.PrintingCommand;
import io.jipvs.cli.ReadsInput;
import io.jipvs.control.config.ConfigError;
import io.jipvs.control.config.ConfigException;
import io.jipvs.control.config.ConfigFormat;
import io.jipvs.control.config.ConfigWriter;
import io.jipvs.control.desired.Supervised;
import java.io.InputStream;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** jipvs convert: keepalived.conf (or an ipvsadm rules file) as jipvs's YAML. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        header = "Print keepalived.conf or an ipvsadm rules file as jipvs's YAML.", description = {
        "Print FILE (keepalived.conf, an ipvsadm rules file, or jipvs's own YAML or JSON) as jipvs's YAML:",
        "virtual servers, real servers and their checkers with keepalived's defaults written out, so that",
        "jipvs serve behaves as keepalived did. Each keyword not carried over is a warning on standard error."})
public final class ConvertCommand extends PrintingCommand implements ReadsInput {
    @Parameters(index = "0", paramLabel = "FILE", description = "The file to convert; - reads standard input.")
    String file;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "The input's format: keepalived, ipvsadm, yaml or json (default: detected from the content).")
    String format;

    @Option(names = "--json", description = "Print JSON instead of YAML.")
    boolean json;

    private InputStream in = System.in;

    @Override
    public void input(InputStream stream) {
        this.in = stream;
    }

    @Override
    protected int execute(PrintWriter out, PrintWriter err) {
        if (format != null && !format.matches("yaml|json|ipvsadm|keepalived")) {
            err.println(name() + ": --format must be keepalived, ipvsadm, yaml or json");
            return 2;
        }
        Supervised s;
        try {
            s = DesiredFile.readSupervised(file, format, in, spec.root().name(), err);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            return 2;
        }
        out.print(ConfigWriter.write(s, json ? ConfigFormat.JSON : ConfigFormat.YAML));
        return 0;
    }
}

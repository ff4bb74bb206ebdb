package io.jipvs.cli.observe;

import io.jipvs.cli.desired.DesiredFile;
import io.jipvs.cli.desired.TableCommand;
import io.jipvs.control.config.ConfigError;
import io.jipvs.control.config.ConfigException;
import io.jipvs.control.metrics.TableMetrics;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.ipvs.IpvsTotals;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jipvs metrics: the table's metrics once, in Prometheus's text format, for node_exporter's textfile collector. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        header = "Print the IPVS table's metrics once in Prometheus's text format.", description = {
        "Print the IPVS table's metrics once in Prometheus's text format: the kernel's totals, and per service",
        "and per real server its counters, connections and weight (serve's /metrics without serve's own).",
        "For node_exporter's textfile collector: jipvs metrics > /var/lib/prometheus/node-exporter/jipvs.prom.tmp",
        "&& mv it to jipvs.prom (a rename, so that node_exporter never reads half a file)."})
public final class MetricsCommand extends TableCommand {

    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "Name services (the service label) as this desired-state file does.")
    String file;

    @Override
    protected int execute(PrintWriter out, PrintWriter err) {
        Map<ServiceKey, String> names;
        try {
            names = file == null ? Map.of() : DesiredFile.readSupervised(file, null, System.in, name(), err).state().names();
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            return USAGE;
        }
        return inTable(out, err, (ipvs, o, e) -> {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(text, TableMetrics.of(ipvs, IpvsTotals.read(), names::get),
                    EscapingScheme.UNDERSCORE_ESCAPING);
            o.print(text.toString(StandardCharsets.UTF_8));
            return OK;
        });
    }

    /** As apply's: root opens no path for a caller, and reads no terminal it could be left reading. */
    @Override
    public String declines(boolean stdinTerminal) {
        String why = super.declines(stdinTerminal);
        if (why != null || file == null) {
            return why;
        }
        if (!file.equals("-")) {
            return "-f with a path (the caller opens its own files)";
        }
        return stdinTerminal ? "-f - from a terminal" : null;
    }
}

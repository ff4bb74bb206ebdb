package io.jipvs.cli;

import io.jipvs.cli.ipvsadm.Usage;
import picocli.CommandLine;

/** {@code jipvs SUBCOMMAND --version}: the same text as {@code jipvs --version}. */
public final class JipvsVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return Usage.version("jipvs").split("\n");
    }
}

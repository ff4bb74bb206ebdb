package io.jipvs.cli.realserver;

import io.jipvs.cli.PrintingCommand;
import picocli.CommandLine.Mixin;

/**
 * What every real-server and director helper shares: where it acts (--netns, --state-dir), the
 * writers of the command line it runs in, and an exit code (0 done or ready, 1 failed or not
 * ready, 2 bad usage).
 */
abstract class HelperCommand extends PrintingCommand {

    @Mixin
    HostOptions where = new HostOptions();
}

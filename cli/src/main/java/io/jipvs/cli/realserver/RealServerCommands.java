package io.jipvs.cli.realserver;

import java.util.List;

/** The helper commands of this package, for registration as subcommands of the main jipvs command. */
public final class RealServerCommands {
    private RealServerCommands() {
    }

    /** Fresh instances, in the order help should list them. */
    public static List<Object> all() {
        return List.of(new RsSetupCommand(), new RsTeardownCommand(), new RsStatusCommand(),
                new DirectorSetupCommand(), new DirectorTeardownCommand(), new DirectorStatusCommand());
    }
}

package io.jipvs.cli.realserver;

import io.jipvs.cli.NetnsOption;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a helper command acts: which network namespace, and where it keeps its state. */
public final class HostOptions {

    @Option(names = "--netns", paramLabel = "NAME",
            description = "Act inside the named network namespace (/run/netns/NAME, or a path such as /proc/PID/ns/net).")
    String netns;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/run/jipvs",
            description = "Where jipvs records what it changed (default: ${DEFAULT-VALUE}; volatile, like the changes):"
                    + " a directory owned by root that nobody else can write, created 0700 if missing.")
    Path stateDir;

    /** The namespace file, or null for the caller's own namespace. */
    Path netnsFile() {
        if (netns == null) {
            return null;
        }
        return NetnsOption.path(netns);
    }
}

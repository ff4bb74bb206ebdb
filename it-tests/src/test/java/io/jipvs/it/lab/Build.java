package io.jipvs.it.lab;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** What `make build` made, for tests that run it as a process of its own. */
public final class Build {
    private Build() {
    }

    /** The repository's cli/target directory (this class sits in it-tests/target/test-classes). */
    public static Path cliTarget() {
        try {
            Path testClasses = Path.of(Build.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return testClasses.getParent().getParent().getParent().resolve("cli/target");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** cli/target/jipvs, the launcher. */
    public static String launcher() {
        return cliTarget().resolve("jipvs").toString();
    }
}

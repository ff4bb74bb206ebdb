package io.jipvs.it.lab;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** What `make build` made, for tests that run it as a process of its own. */
public final class Build {
    private Build() {
    }

    /** The repository's top directory, where the Makefile is (this class sits in it-tests/target/test-classes). */
    public static Path repository() {
        try {
            Path testClasses = Path.of(Build.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return testClasses.getParent().getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repository's cli/target directory. */
    public static Path cliTarget() {
        return repository().resolve("cli/target");
    }

    /** cli/target/jipvs, the launcher. */
    public static String launcher() {
        return cliTarget().resolve("jipvs").toString();
    }
}

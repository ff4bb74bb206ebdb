package io.jipvs.it.cli;

import static io.jipvs.it.cli.DaemonIT.await;
import static io.jipvs.it.cli.DaemonIT.logged;
import static io.jipvs.it.cli.DaemonIT.read;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every attack of {@link DaemonTrustIT} on the command socket of {@code jipvs serve}, which does
 * the daemon's job from the same resident JVM that runs the checks: the same rules must hold, and
 * the checks' process is root with every capability, so nobody may borrow them.
 */
class ServeTrustIT extends DaemonTrustIT {

    /** Hides the daemon's start: serve takes the namespace's command socket instead. */
    @BeforeAll
    static void startDaemonAfterAnUnprivilegedUserTookWhatItCould() throws IOException {
        attackersFirst();
        Path file = Files.createTempFile("jipvs-serve", ".yaml");
        Files.writeString(file, "services: []\n");
        Path state = Files.createTempDirectory("jipvs-serve-state");
        Process serve = new ProcessBuilder("ip", "netns", "exec", home.name(), launcher, "serve", "-f", file.toString(),
                "--state-dir", state.toString(), "--verbose").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile()).start();
        await(120, () -> logged(log, "serve: serving command lines on ") || !serve.isAlive());
        assertTrue(serve.isAlive(), () -> "serve exited: " + read(log));
        daemon = serve;
        Matcher m = Pattern.compile("serving command lines on (\\S+)").matcher(read(log));
        assertTrue(m.find(), read(log));
        socket = m.group(1);
    }

    /**
     * Not a test here: systemd hands a socket to the daemon (jipvs.socket), never to serve, whose unit
     * (jipvs.service) runs under a real systemd in DebianPackageIT.
     */
    @Override
    void takesTheSocketSystemdHandsOver() {
    }
}

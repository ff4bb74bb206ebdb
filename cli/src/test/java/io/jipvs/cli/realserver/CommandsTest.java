package io.jipvs.cli.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Command-line handling that needs no kernel: usage errors and the root check come first. */
class CommandsTest {
    private final IntSupplier realUid = Session.effectiveUid;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void restore() {
        Session.effectiveUid = realUid;
    }

    private int run(Object command, String... args) {
        return new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void notRootIsOneClearError() {
        Session.effectiveUid = () -> 1000;
        assertEquals(1, run(new RsSetupCommand(), "--vip", "10.0.0.100"));
        assertEquals("rs-setup: must be run as root: it changes addresses, links and /proc/sys (effective uid 1000);"
                + " --dry-run shows the steps without root\n", err.toString());
        assertEquals("", out.toString());
        assertEquals(1, run(new DirectorSetupCommand(), "--nat"));
        assertTrue(err.toString().contains("director-setup: must be run as root"), err.toString());
    }

    @Test
    void badInputIsRefusedBeforeAnythingElse() {
        Session.effectiveUid = () -> 0;
        assertEquals(2, run(new RsSetupCommand(), "--vip", "10.0.0.100/24"));
        assertTrue(err.toString().startsWith("rs-setup: VIP 10.0.0.100/24: a real server holds the VIP as /32 only"),
                err.toString());
        assertEquals(2, run(new RsSetupCommand(), "--vip", "10.0.0.100", "--mode", "nat"));
        assertTrue(err.toString().contains("rs-setup: unknown mode 'nat' (dr or tun)"), err.toString());
        assertEquals(2, run(new RsTeardownCommand(), "--mode", "dr"));
        assertEquals(2, run(new DirectorSetupCommand()));
    }

    @Test
    void everyCommandHasHelp() {
        for (Class<?> c : io.jipvs.cli.JipvsCommand.SUBCOMMANDS) {
            StringWriter help = new StringWriter();
            assertEquals(0, new CommandLine(c).setOut(new PrintWriter(help)).execute("--help"));
            // The one-line header (what jipvs help lists; one line in an 80-column terminal), then the usage.
            String header = c.getAnnotation(CommandLine.Command.class).header()[0];
            assertTrue(header.length() <= 76, header);
            assertTrue(help.toString().startsWith(header + "\nUsage: " + new CommandLine(c).getCommandName()),
                    help.toString());
        }
    }
}

package io.jipvs.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.Jipvs;
import io.jipvs.cli.JipvsCommand;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerateTest {
    @Test
    void jipvs8ListsEverySubcommandEachOfWhichHasItsOwnPageInSection8() {
        Map<String, String> pages = Generate.manPages();
        var subcommands = JipvsCommand.commandLine().getSubcommands().keySet();
        assertEquals(subcommands.size() + 1, pages.size());
        String root = pages.get("jipvs");
        assertTrue(root.contains("= jipvs(8)\n"), root);
        for (String sub : subcommands) {
            assertTrue(root.contains("*" + sub + "* (*jipvs-" + sub + "*(8))"), sub);
            assertTrue(pages.get("jipvs-" + sub).contains("= jipvs-" + sub + "(8)\n"), sub);
        }
        // ipvsadm's syntax is in the page, verbatim.
        assertTrue(root.contains("....\nUsage:\n  jipvs -A|E virtual-service"), root);
        assertTrue(!root.contains("xref:"), "no web links in a man page");
    }

    @Test
    void theCompletionOffersIpvsadmsOptionsWithTheirValues() {
        String script = Generate.completion();
        assertTrue(script.contains("'--scheduler' '-s'"), "ipvsadm's options on the top level");
        assertTrue(script.contains("local SCHEDULER_option_args=(\"rr\" \"wrr\" \"lc\" \"wlc\""), "one candidate list per option");
        assertTrue(script.contains("local TUN_TYPE_option_args=(\"ipip\" \"gue\" \"gre\")"));
    }

    @Test
    void theExampleConfigurationIsValid() {
        // jipvs convert reads and validates the file as serve would, without a kernel.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Jipvs.run(new String[] {"convert", Path.of("etc/jipvs.yaml").toString()},
                InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    }
}

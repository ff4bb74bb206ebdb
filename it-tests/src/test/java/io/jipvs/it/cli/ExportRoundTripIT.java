package io.jipvs.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.Jipvs;
import io.jipvs.it.lab.Netns;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * export → apply → export is byte-identical for every table of the differential corpus: each
 * scenario is played with the real ipvsadm, and its table (before each flush, and at its end) is
 * exported, flushed, applied back from the export, and exported again. ipvsadm -Sn of the table
 * before and after must be identical too: the same entries, in the same kernel order.
 */
class ExportRoundTripIT {
    private static final AtomicInteger TABLES = new AtomicInteger();

    @TestFactory
    Stream<DynamicTest> everyCorpusTableSurvivesExportAndApply() throws Exception {
        return Scenario.corpus().stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> run(Scenario.read(f))));
    }

    private static void run(Scenario scenario) {
        try (Netns ns = Netns.create()) {
            List<Scenario.Step> segment = new ArrayList<>();
            for (Scenario.Step step : scenario.steps()) {
                if (step.args().size() == 1 && List.of("-C", "--clear").contains(step.args().get(0))) {
                    DifferentialIT.ipvsadmBatch(ns, segment);
                    segment.clear();
                    roundTrip(ns, scenario.name() + " before line " + step.lineNumber());
                }
                segment.add(step);
            }
            DifferentialIT.ipvsadmBatch(ns, segment);
            roundTrip(ns, scenario.name() + " at its end");
        }
    }

    private static void roundTrip(Netns ns, String where) {
        String rules = ns.ipvsadm("-Sn").orThrow().stdout();
        if (rules.isEmpty()) {
            return;
        }
        String exported = jipvs(ns, "", "export");
        ns.ipvsadm("-C").orThrow();
        jipvs(ns, exported, "apply", "--prune=all", "-f", "-");
        assertEquals(exported, jipvs(ns, "", "export"), where + ": export after apply");
        assertEquals(rules, ns.ipvsadm("-Sn").orThrow().stdout(), where + ": ipvsadm -Sn after apply");
        TABLES.incrementAndGet();
    }

    /** jipvs SUBCOMMAND --netns NS ARGS in this JVM; its stdout; fails on a non-zero status. */
    private static String jipvs(Netns ns, String stdin, String subcommand, String... args) {
        List<String> argv = new ArrayList<>(List.of(subcommand, "--netns", ns.name()));
        argv.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Jipvs.run(argv.toArray(String[]::new),
                    new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e);
        }
        assertEquals(0, status, argv + ": " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void enough() {
        System.out.printf("export round trip: %d tables%n", TABLES.get());
        assertTrue(TABLES.get() >= 15, "too few corpus tables compared: " + TABLES.get());
    }
}

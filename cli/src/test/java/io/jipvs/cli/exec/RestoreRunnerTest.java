package io.jipvs.cli.exec;

import io.jipvs.netlink.nltest.MemoryIpvs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipvs.cli.ipvsadm.IpvsadmParser;
import io.jipvs.cli.names.Resolver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** -R read, planned and applied a chunk at a time: what crosses a chunk's end must not show. */
class RestoreRunnerTest {
    private final MemoryIpvs table = new MemoryIpvs();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> directs = new ArrayList<>();

    private Outcome restore(InputStream in, int chunkLines) {
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        RestoreRunner.Direct direct = command -> {
            directs.add(command.getClass().getSimpleName() + " sees " + table.services.size());
            return Outcome.DONE;
        };
        return new RestoreRunner(table, "ipvsadm", e, direct, chunkLines, 1 << 20)
                .run(in, new IpvsadmParser("ipvsadm", Resolver.NONE));
    }

    private Outcome restore(String input, int chunkLines) {
        return restore(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), chunkLines);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static final String INPUT = """
            -A -t 10.0.0.1:80
            -A -t 10.0.0.1:80
            -A -t 10.0.0.2:80 --foo
            -D -t 10.0.0.9:80
            -A -t 10.0.0.2:80
            -Ln
            -A -t 10.0.0.3:80
            -a -t 10.0.0.9:80 -r 10.0.1.1
            """;

    @Test
    void chunksOfAnySizeGiveTheSameTextStatusAndTable() {
        Outcome whole = restore(INPUT, 1000);
        String text = err();
        List<String> seen = List.copyOf(directs);
        assertEquals(List.of(4, 2), table.batches); // the listing ends the first batch
        for (int size = 1; size <= 8; size++) {
            table.services.clear();
            table.batches.clear();
            err.reset();
            directs.clear();
            assertEquals(whole, restore(INPUT, size), "chunks of " + size);
            assertEquals(text, err(), "chunks of " + size);
            assertEquals(seen, directs, "chunks of " + size);
            assertEquals(3, table.services.size(), "chunks of " + size);
        }
        assertEquals("Service already exists\n--foo: unknown option\nNo such service\nService not defined\n", text);
        assertEquals(new Outcome(255, false), whole);
        assertEquals(List.of("Listing sees 2"), seen);
    }

    @Test
    void aChunkEndsABatch() {
        restore(INPUT, 3);
        // lines 1-3 (two changes), 4-5 (two; line 6 lists), 7-8 (two)
        assertEquals(List.of(2, 2, 2), table.batches);
    }

    @Test
    void anAbortInALaterChunkKeepsWhatEarlierChunksApplied() {
        Outcome o = restore("-A -t 10.0.0.1:80\n-D -t 10.0.0.9:80\n-A -t 10.0.0.2:80\n-A -t 10.0.0.3:80 -w 1\n"
                + "-A -t 10.0.0.4:80\n", 2);
        assertEquals(new Outcome(2, true), o);
        assertEquals("No such service\nIllegal 'weight' option with the 'add-service' command\n", err());
        assertEquals(2, table.services.size());
    }

    @Test
    void aReadFailureRunsTheLinesBeforeItThenSaysSo() {
        InputStream in = new FailingInput("-A -t 10.0.0.1:80\n-A -t 10.0.0.2:80\n-A -t 10.0.0.3");
        assertEquals(Outcome.INPUT_UNREADABLE, restore(in, 1000));
        assertEquals("ipvsadm: cannot read the restore input: Input/output error\n", err());
        // The two whole lines ran; the cut one did not.
        assertEquals(2, table.services.size());
    }
}

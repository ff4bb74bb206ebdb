package io.jipvs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JipvsTest {
    @Test
    void aLineWithOnlyTheNamespaceListsItsTable() {
        assertTrue(Jipvs.onlyNetns(List.of()));
        assertTrue(Jipvs.onlyNetns(List.of("--netns", "blue")));
        assertTrue(Jipvs.onlyNetns(List.of("--netns=blue")));
        assertFalse(Jipvs.onlyNetns(List.of("--netns=blue", "-L")));
        assertFalse(Jipvs.onlyNetns(List.of("--netns"))); // popt: missing argument
        assertFalse(Jipvs.onlyNetns(List.of("-n")));
    }

    @Test
    void anAtFileArgumentIsNeverExpanded(@TempDir Path dir) throws IOException {
        // Picocli's @file expansion would put the file's lines on the command line, and its
        // "Unmatched argument" error would print them: a sudo rule for rs-status leaks files.
        Path secret = Files.writeString(dir.resolve("secret"), "the-secret-line\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Jipvs.run(new String[] {"rs-status", "@" + secret}, InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(2, status, text);
        assertFalse(text.contains("the-secret-line"), text);
        assertTrue(text.contains("@" + secret), text);
    }

    @Test
    void netnsIsANameUnderRunNetnsOrAPath() {
        assertEquals(Path.of("/run/netns/blue"), Jipvs.netns(List.of("-L", "--netns=blue")));
        assertEquals(Path.of("/run/netns/blue"), Jipvs.netns(List.of("--netns", "blue", "-L")));
        assertEquals(Path.of("/proc/1/ns/net"), Jipvs.netns(List.of("--netns", "/proc/1/ns/net")));
        assertNull(Jipvs.netns(List.of("-L")));
        assertTrue(Jipvs.readsStdin(List.of("--netns=x", "-R")));
    }
}

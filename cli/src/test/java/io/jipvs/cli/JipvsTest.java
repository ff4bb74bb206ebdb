package io.jipvs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

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
    void netnsIsANameUnderRunNetnsOrAPath() {
        assertEquals(Path.of("/run/netns/blue"), Jipvs.netns(List.of("-L", "--netns=blue")));
        assertEquals(Path.of("/run/netns/blue"), Jipvs.netns(List.of("--netns", "blue", "-L")));
        assertEquals(Path.of("/proc/1/ns/net"), Jipvs.netns(List.of("--netns", "/proc/1/ns/net")));
        assertNull(Jipvs.netns(List.of("-L")));
        assertTrue(Jipvs.readsStdin(List.of("--netns=x", "-R")));
    }
}

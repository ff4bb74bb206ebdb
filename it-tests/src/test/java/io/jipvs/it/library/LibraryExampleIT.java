package io.jipvs.it.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.it.lab.Build;
import io.jipvs.it.lab.Exec;
import io.jipvs.it.lab.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README's "Use jipvs from Java" is docs/examples/UseJipvs.java, and that file works: compiled with
 * javac against the library's jars alone (jipvs-model, jipvs-netlink and what they depend on, no
 * command line), run in a fresh network namespace, its changes seen by the real ipvsadm.
 */
class LibraryExampleIT {
    private static final Path EXAMPLE = Build.repository().resolve("docs/examples/UseJipvs.java");

    /** The library's runtime class path, taken from the test class path: the two jars and their dependencies. */
    private static String libraryClassPath() throws IOException {
        String all = Files.readString(Build.repository().resolve("it-tests/target/it-classpath.txt")).strip();
        return Arrays.stream(all.split(":"))
                .filter(p -> Path.of(p).getFileName().toString()
                        .matches("(jipvs-model|jipvs-netlink|jnr-ffi|jffi|asm(-[a-z]+)?|jnr-a64asm|jnr-x86asm)-[0-9].*\\.jar")
                        && !p.endsWith("-nltest.jar"))
                .collect(Collectors.joining(":"));
    }

    @Test
    void theReadmesExampleCompilesAgainstTheLibraryAndChangesTheKernelsTable() throws IOException {
        String readme = Files.readString(Build.repository().resolve("README.md"));
        assertTrue(readme.contains("```java\n" + Files.readString(EXAMPLE) + "```\n"),
                "README shows docs/examples/UseJipvs.java as it is");
        String classPath = libraryClassPath();
        assertEquals(12, classPath.split(":").length, classPath);
        Path classes = Files.createTempDirectory("jipvs-example");
        try (Netns ns = Netns.create()) {
            Exec.run("javac", "-Xlint:all", "-Werror", "-cp", classPath, "-d", classes.toString(), EXAMPLE.toString())
                    .orThrow();
            Exec.Result ran = ns.run("java", "-cp", classes + ":" + classPath, "UseJipvs").orThrow();
            // The kernel's order: its newest real server first.
            assertEquals("""
                    3 changes in one batch
                    TCP 192.0.2.10:80 wrr
                      -> 10.0.0.12:80 MASQ w=1, 0 active
                      -> 10.0.0.11:80 MASQ w=3, 0 active
                    ADD_SERVICE failed: errno 17
                    """, ran.stdout(), ran.stderr());
            assertEquals("""
                    -A -t 192.0.2.10:80 -s wrr
                    -a -t 192.0.2.10:80 -r 10.0.0.11:80 -m -w 3
                    -a -t 192.0.2.10:80 -r 10.0.0.12:80 -m -w 1
                    """, ns.ipvsadm("-Sn").orThrow().stdout());
        } finally {
            try (Stream<Path> all = Files.walk(classes)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}

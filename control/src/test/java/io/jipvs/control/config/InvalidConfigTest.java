package io.jipvs.control.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The invalid-file corpus: each file says, in its leading {@code # expect:} lines (a JSON file in
 * NAME.expect beside it), every error the reader must report, in order, without the file name.
 * The kernel test ApplyIT applies the same files with jipvs apply and expects the same lines.
 */
class InvalidConfigTest {

    static Path corpus() throws Exception {
        return Path.of(InvalidConfigTest.class.getResource("invalid").toURI());
    }

    /** The expected lines of a corpus file. */
    static List<String> expected(Path file) throws Exception {
        String name = file.getFileName().toString();
        Path source = name.endsWith(".json") ? file.resolveSibling(name.replaceFirst("\\.json$", ".expect")) : file;
        return Files.readAllLines(source).stream().filter(l -> l.startsWith("# expect: "))
                .map(l -> name + ":" + l.substring("# expect: ".length())).toList();
    }

    @TestFactory
    Stream<DynamicTest> everyInvalidFileReportsExactlyItsErrors() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(corpus())) {
            files = s.filter(p -> !p.toString().endsWith(".expect")).sorted().toList();
        }
        assertTrue(files.size() >= 25, "the corpus has " + files.size() + " files");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            List<String> want = expected(f);
            assertTrue(!want.isEmpty(), "no # expect: lines");
            String name = f.getFileName().toString();
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.read(name, Files.readAllBytes(f),
                    name.endsWith(".json") ? ConfigFormat.JSON : ConfigFormat.YAML));
            assertEquals(want, e.errors().stream().map(ConfigError::toString).toList());
        }));
    }
}

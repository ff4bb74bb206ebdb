package io.jipvs.cli.desired;

import io.jipvs.control.config.ConfigError;
import io.jipvs.control.config.ConfigException;
import io.jipvs.control.config.ConfigFormat;
import io.jipvs.control.config.ConfigReader;
import io.jipvs.control.config.keepalived.KeepalivedReader;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.desired.Supervised;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The -f FILE of diff, apply, serve and convert: read whole before anything else happens, in the format it is in. */
public final class DesiredFile {
    /** A file larger than this is refused: a table of 100,000 services is about 10 MB of YAML. */
    static final int MAX_BYTES = 64 << 20;

    private DesiredFile() {
    }

    /**
     * Reads and validates; "-" is standard input.
     *
     * @throws ConfigException for an invalid file (every error), or one that cannot be read
     */
    static DesiredState read(String file, String format, InputStream stdin, String program, PrintWriter err) {
        return readSupervised(file, format, stdin, program, err).state();
    }

    /**
     * Reads and validates with serve's keys (checks and their policies); "-" is standard input.
     * An ipvsadm rules file has no checks.
     *
     * @param file    the path, or "-"
     * @param format  yaml, json, ipvsadm or keepalived, or null to detect it
     * @param stdin   standard input
     * @param program the program name ipvsadm-format errors start with
     * @param err     where keepalived.conf's warnings go (a keyword not carried over)
     * @return the file
     * @throws ConfigException for an invalid file (every error), or one that cannot be read
     */
    public static Supervised readSupervised(String file, String format, InputStream stdin, String program,
                                            PrintWriter err) {
        byte[] content;
        try {
            content = file.equals("-") ? stdin.readNBytes(MAX_BYTES + 1) : readFile(Path.of(file));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(file, 0, 0, "",
                    "cannot read: " + (e.getMessage() == null ? e.toString() : e.getMessage()))));
        }
        return readSupervised(file, content, format, program, err);
    }

    /**
     * Reads and validates a file's bytes already read (serve keeps the very bytes it put in force).
     *
     * @param file    the path its errors name and its includes are found beside, or "-"
     * @param content its bytes
     * @param format  yaml, json, ipvsadm or keepalived, or null to detect it
     * @param program the program name ipvsadm-format errors start with
     * @param err     where keepalived.conf's warnings go
     * @return the file
     * @throws ConfigException for an invalid file (every error)
     */
    public static Supervised readSupervised(String file, byte[] content, String format, String program, PrintWriter err) {
        if (content.length > MAX_BYTES) {
            throw new ConfigException(List.of(new ConfigError(file, 0, 0, "", "larger than " + (MAX_BYTES >> 20) + " MiB")));
        }
        ConfigFormat f = ConfigFormat.of(format, content);
        if (f == ConfigFormat.KEEPALIVED) {
            KeepalivedReader.Result r = KeepalivedReader.read(file, content,
                    file.equals("-") ? Path.of("").toAbsolutePath() : Path.of(file).toAbsolutePath().getParent());
            r.warnings().forEach(err::println);
            return r.file();
        }
        if (f == ConfigFormat.IPVSADM) {
            return new Supervised(IpvsadmRules.read(file, content, program), Map.of(), Supervised.DEFAULT_REPAIR_INTERVAL);
        }
        return ConfigReader.readSupervised(file, content, f);
    }

    private static byte[] readFile(Path path) throws IOException {
        if (Files.size(path) > MAX_BYTES) {
            return new byte[MAX_BYTES + 1];
        }
        return Files.readAllBytes(path);
    }
}

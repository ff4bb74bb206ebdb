package io.jipvs.control.config;

import java.util.Objects;

/**
 * One problem in a desired-state file.
 *
 * @param source  the file's name as the user gave it ("-" for standard input)
 * @param line    1-based line, 0 when unknown
 * @param column  1-based column, 0 when unknown
 * @param path    the key path ("services[2].realServers[0].weight"), empty for the whole file
 * @param message what is wrong ("must be 0..65535")
 */
public record ConfigError(String source, int line, int column, String path, String message) {

    /**
     * Checks the values.
     *
     * @param source  the file's name
     * @param line    the line
     * @param column  the column
     * @param path    the key path
     * @param message the message
     */
    public ConfigError {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /**
     * {@code FILE:LINE:COLUMN: PATH: MESSAGE}; the PATH part is left out when empty, the column
     * when unknown (0), as for a line of an ipvsadm rules file.
     */
    @Override
    public String toString() {
        String at = line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "";
        return source + at + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}

package io.jipvs.control.config;

import io.jipvs.control.desired.DesiredState;

/** Reads a desired-state file (YAML or JSON). */
public final class ConfigReader {
    private ConfigReader() {
    }

    /**
     * Reads and validates a file; nothing is returned unless all of it is valid.
     *
     * @param source  the name errors give ("-" for standard input)
     * @param content the file's bytes
     * @param format  YAML or JSON
     * @return the desired state
     * @throws ConfigException with every problem, in file order
     */
    public static DesiredState read(String source, byte[] content, ConfigFormat format) {
        throw new UnsupportedOperationException("being written");
    }
}

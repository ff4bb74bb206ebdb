package io.jipvs.control.config;

import io.jipvs.control.desired.DesiredState;

/** Writes a desired state as a file {@link ConfigReader} reads back to the same state. */
public final class ConfigWriter {
    private ConfigWriter() {
    }

    /**
     * The file: only what differs from the defaults is written.
     *
     * @param state  the state
     * @param format YAML or JSON
     * @return the file's text, ending in a newline
     */
    public static String write(DesiredState state, ConfigFormat format) {
        throw new UnsupportedOperationException("being written");
    }
}

package io.jipvs.control.config;

import java.util.List;

/** A desired-state file that cannot be used, with every problem found in it. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The problems; not serialised with the exception. */
    private final transient List<ConfigError> errors;

    /**
     * An exception for these problems.
     *
     * @param errors at least one problem, in file order
     */
    public ConfigException(List<ConfigError> errors) {
        super(errors.isEmpty() ? "invalid configuration" : errors.get(0).toString());
        this.errors = List.copyOf(errors);
    }

    /**
     * The problems, in file order.
     *
     * @return every problem found
     */
    public List<ConfigError> errors() {
        return errors;
    }
}

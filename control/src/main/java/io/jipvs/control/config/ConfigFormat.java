package io.jipvs.control.config;

/** The formats a desired state can be read from. */
public enum ConfigFormat {
    /** jipvs's YAML file. */
    YAML,
    /** The same keys as JSON. */
    JSON,
    /** An ipvsadm rules file ({@code ipvsadm -S} output, as /etc/ipvsadm.rules); read by the command line. */
    IPVSADM;

    /**
     * Detects the format by content: ipvsadm rules when the first line that is neither blank nor a
     * {@code #} comment starts with an ipvsadm option ({@code -A}, {@code --add-service}, ...),
     * JSON when the first non-blank character is '{', YAML otherwise.
     *
     * @param content the file's bytes
     * @return the format
     */
    public static ConfigFormat detect(byte[] content) {
        throw new UnsupportedOperationException("being written");
    }
}

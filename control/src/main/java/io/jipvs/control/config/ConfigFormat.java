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
        int i = 0;
        while (i < content.length) {
            int end = i;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            int first = i;
            while (first < end && (content[first] == ' ' || content[first] == '\t' || content[first] == '\r')) {
                first++;
            }
            if (first < end && content[first] != '#') {
                if (content[first] == '{') {
                    return JSON;
                }
                // ipvsadm -S lines start with an option (-A, --add-service); a YAML list item
                // has a blank after its dash, and a YAML document starts with "---".
                boolean dashThenText = content[first] == '-' && first + 1 < end && content[first + 1] != ' '
                        && content[first + 1] != '\t' && content[first + 1] != '\r';
                boolean documentStart = end - first >= 3 && content[first + 1] == '-' && content[first + 2] == '-'
                        && (end - first == 3 || content[first + 3] == ' ' || content[first + 3] == '\r');
                boolean option = dashThenText && !documentStart;
                return option ? IPVSADM : YAML;
            }
            i = end + 1;
        }
        return YAML;
    }
}

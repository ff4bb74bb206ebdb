package io.jipvs.control.config;

/** The formats a desired state can be read from. */
public enum ConfigFormat {
    /** jipvs's YAML file. */
    YAML,
    /** The same keys as JSON. */
    JSON,
    /** An ipvsadm rules file ({@code ipvsadm -S} output, as /etc/ipvsadm.rules); read by the command line. */
    IPVSADM,
    /** keepalived.conf: its virtual servers, real servers and checkers. */
    KEEPALIVED;

    /** The first words of keepalived.conf's top-level blocks. */
    private static final java.util.Set<String> KEEPALIVED_BLOCKS = java.util.Set.of("global_defs", "virtual_server",
            "virtual_server_group", "vrrp_instance", "vrrp_sync_group", "vrrp_script", "include", "static_ipaddress",
            "static_routes", "vrrp_track_process", "bfd_instance");

    /**
     * The format a user named, or the one the content shows.
     *
     * @param name    yaml, json, ipvsadm or keepalived (any case), or null to detect it
     * @param content the file's bytes
     * @return the format
     */
    public static ConfigFormat of(String name, byte[] content) {
        return name == null ? detect(content) : valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * Detects the format by content: ipvsadm rules when the first line that is neither blank nor a
     * {@code #} comment starts with an ipvsadm option ({@code -A}, {@code --add-service}, ...),
     * JSON when the first non-blank character is '{', keepalived.conf when that line starts with
     * one of its block keywords ({@code global_defs}, {@code virtual_server}, ...) or a {@code !}
     * comment, YAML otherwise.
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
                if (content[first] == '!') {
                    return KEEPALIVED;
                }
                int word = first;
                while (word < end && content[word] > ' ' && content[word] != '{') {
                    word++;
                }
                String keyword = new String(content, first, word - first, java.nio.charset.StandardCharsets.UTF_8);
                if (KEEPALIVED_BLOCKS.contains(keyword)) {
                    return KEEPALIVED;
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

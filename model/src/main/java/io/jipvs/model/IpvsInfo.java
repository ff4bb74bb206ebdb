package io.jipvs.model;

/**
 * What GET_INFO reports.
 *
 * @param versionCode          IP_VS_VERSION_CODE, e.g. 0x010201
 * @param connectionTableSize  size of the connection hash table
 */
public record IpvsInfo(int versionCode, int connectionTableSize) {

    /**
     * The version as ipvsadm prints it, e.g. "1.2.1".
     *
     * @return major.minor.patch
     */
    public String version() {
        return ((versionCode >> 16) & 0xFF) + "." + ((versionCode >> 8) & 0xFF) + "." + (versionCode & 0xFF);
    }
}

package io.jipvs.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What GET_INFO reports.
 *
 * @param versionCode          IP_VS_VERSION_CODE, e.g. 0x010201
 * @param connectionTableSize  size of the connection hash table
 */
@JsonIgnoreProperties(value = "version", allowGetters = true)
public record IpvsInfo(int versionCode, int connectionTableSize) {

    /**
     * The version as ipvsadm prints it, e.g. "1.2.1".
     *
     * @return major.minor.patch
     */
    @JsonProperty("version")
    public String version() {
        return ((versionCode >> 16) & 0xFF) + "." + ((versionCode >> 8) & 0xFF) + "." + (versionCode & 0xFF);
    }
}

package io.jipvs.control.host;

/** How the director forwards to this real server, which decides where the VIP lives. */
public enum Mode {
    /** Direct routing: the frame arrives with dst = VIP; the VIP sits on loopback. */
    DR("lo"),
    /** IP-in-IP: the packet arrives encapsulated and is decapsulated by tunl0. */
    TUN("tunl0");

    /** The ipip module's fallback device, which receives every IP-in-IP packet. */
    public static final String TUNL0 = "tunl0";

    private final String defaultDevice;

    Mode(String defaultDevice) {
        this.defaultDevice = defaultDevice;
    }

    /**
     * Where the VIP goes unless the operator names a device.
     *
     * @return "lo" or "tunl0"
     */
    public String defaultDevice() {
        return defaultDevice;
    }

    /**
     * The mode as the command line and the state file spell it.
     *
     * @return "dr" or "tun"
     */
    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The mode spelt {@code s}, in any case.
     *
     * @param s "dr" or "tun"
     * @return the mode
     * @throws IllegalArgumentException for anything else
     */
    public static Mode parse(String s) {
        for (Mode m : values()) {
            if (m.text().equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + s + "' (dr or tun)");
    }
}

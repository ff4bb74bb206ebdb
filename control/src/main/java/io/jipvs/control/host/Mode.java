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

    public String defaultDevice() {
        return defaultDevice;
    }

    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Mode parse(String s) {
        for (Mode m : values()) {
            if (m.text().equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + s + "' (dr or tun)");
    }
}

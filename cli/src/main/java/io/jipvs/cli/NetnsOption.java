package io.jipvs.cli;

import java.nio.file.Path;

/** The value of --netns, everywhere jipvs takes it: a name as `ip netns` uses it, or a path. */
public final class NetnsOption {
    private NetnsOption() {
    }

    /** A bare NAME means /run/netns/NAME; anything with a '/' is a path (/proc/PID/ns/net). */
    public static Path path(String value) {
        return value.contains("/") ? Path.of(value) : Path.of("/run/netns", value);
    }
}

package io.jipvs.cli.format;

/** The listing variants; when several are asked for, ipvsadm uses the first in this order. */
public enum ListMode {
    STATS, RATE, THRESHOLDS, PERSISTENT_CONN, TUN_INFO, PLAIN
}

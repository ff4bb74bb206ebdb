/** What jipvs needs of systemd when it runs as a unit: the readiness and watchdog notifications. */
package io.jipvs.cli.systemd;

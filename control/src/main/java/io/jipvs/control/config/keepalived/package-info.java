/**
 * keepalived.conf as input: its LVS half ({@code virtual_server}, {@code virtual_server_group},
 * {@code real_server} and the checkers) read into jipvs's desired state with keepalived's own
 * defaults, one warning per keyword not carried over; VRRP stays with keepalived.
 */
package io.jipvs.control.config.keepalived;

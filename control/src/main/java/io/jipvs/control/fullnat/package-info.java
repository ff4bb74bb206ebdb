/**
 * FULLNAT on a mainline kernel: the kernel entry is an ordinary IPVS masquerading destination, with
 * {@code net.ipv4.vs.conntrack=1} so netfilter keeps a connection for what IPVS forwards, and a
 * source-NAT rule per FULLNAT service in one nftables table jipvs owns ({@code table inet jipvs}),
 * changed only as whole transactions through {@code nft -f -}. {@link io.jipvs.control.fullnat.Snat}
 * is one service's rule, {@link io.jipvs.control.fullnat.SnatTable} the table as read back, and
 * {@link io.jipvs.control.fullnat.Nft} runs the nftables command.
 */
package io.jipvs.control.fullnat;

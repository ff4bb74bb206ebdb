package io.jipvs.cli.realserver;

import picocli.CommandLine.Option;

/** --nat or --fullnat: the forwarding a director helper prepares, undoes or checks; exactly one. */
final class DirectorMode {
    @Option(names = "--nat", required = true, description = "NAT (masquerading): the real servers route replies through this host.")
    boolean nat;

    @Option(names = "--fullnat", required = true, description = "FULLNAT: NAT plus source NAT to this host, so real"
            + " servers need no route back (IPVS masquerading + net.ipv4.vs.conntrack=1 + a rule in nft table inet jipvs).")
    boolean fullnat;
}

package io.jipvs.control.fullnat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator reads when nft is missing or fails (nft played by a script: the messages are the point). */
class NftTest {
    @TempDir
    Path dir;

    private Nft nft(String stderr, int status) throws IOException {
        Path script = dir.resolve("nft");
        Files.writeString(script, "#!/bin/sh\ncat >/dev/null\nprintf '%s\\n' '" + stderr + "' >&2\nexit " + status + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return Nft.at(Optional.of(script));
    }

    @Test
    void withoutNftThereIsNoTableAndAChangeSaysWhatToInstall() {
        Nft missing = Nft.at(Optional.empty());
        assertEquals(SnatTable.ABSENT, missing.list());
        assertEquals("nft not found: FULLNAT needs nftables' command (install the nftables package)",
                assertThrows(NftException.class, () -> missing.apply("add table inet jipvs\n")).getMessage());
    }

    @Test
    void aKernelWithoutNfTablesIsNamedWithTheModulesToLoad() throws IOException {
        Nft noKernel = nft("Error: Could not process rule: Operation not supported", 1);
        assertEquals(SnatTable.ABSENT, noKernel.list(), "no nf_tables, so no table");
        assertEquals("nft cannot change table inet jipvs: the kernel has no nf_tables NAT (load nf_tables,"
                + " nft_chain_nat and nft_masq, or use a kernel built with them):"
                + " Error: Could not process rule: Operation not supported",
                assertThrows(NftException.class, () -> noKernel.apply("add table inet jipvs\n")).getMessage());
    }

    @Test
    void withoutCapNetAdminItSaysSo() throws IOException {
        Nft denied = nft("Error: Could not process rule: Operation not permitted", 1);
        assertEquals("nft cannot list table inet jipvs: operation not permitted (FULLNAT needs CAP_NET_ADMIN)",
                assertThrows(NftException.class, denied::list).getMessage());
    }

    @Test
    void anAbsentTableListsAsAbsent() throws IOException {
        assertEquals(SnatTable.ABSENT, nft("Error: No such file or directory; did you mean table 'x'?", 1).list());
    }
}

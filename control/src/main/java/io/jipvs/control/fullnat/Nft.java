package io.jipvs.control.fullnat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The nftables command, nft(8), run in the calling thread's network namespace: jipvs changes its
 * table only as whole transactions read from standard input ({@code nft -f -}), as kube-proxy's
 * nftables mode and firewalld do, and reads it back as JSON.
 */
public final class Nft {
    /** Where nft is looked for after PATH: a user's PATH often lacks the sbin directories. */
    private static final List<String> SBIN = List.of("/usr/sbin", "/sbin");
    private static final long TIMEOUT_SECONDS = 60;

    private final Optional<Path> binary;

    private Nft(Optional<Path> binary) {
        this.binary = binary;
    }

    /** A given binary, or none (tests play nft's failures with a script). */
    static Nft at(Optional<Path> binary) {
        return new Nft(binary);
    }

    /**
     * nft from PATH or the sbin directories; a missing binary is reported when it is first needed.
     *
     * @return the runner
     */
    public static Nft find() {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(SBIN);
        for (String d : dirs) {
            Path p = Path.of(d.isEmpty() ? "." : d, "nft");
            if (Files.isExecutable(p)) {
                return new Nft(Optional.of(p));
            }
        }
        return new Nft(Optional.empty());
    }

    /**
     * jipvs's table as the kernel holds it. Without nft or without nf_tables in the kernel there
     * can be no such table: hosts that never use FULLNAT need neither.
     *
     * @return the table, {@link SnatTable#ABSENT} when there is none
     * @throws NftException when nft fails otherwise (e.g. without CAP_NET_ADMIN)
     */
    public SnatTable list() {
        if (binary.isEmpty()) {
            return SnatTable.ABSENT;
        }
        Result r = run("", "-j", "list", "table", "inet", "jipvs");
        if (r.status != 0) {
            if (r.err.contains("No such file or directory") || noNfTables(r.err)) {
                return SnatTable.ABSENT;
            }
            throw failure(r, "list table " + SnatTable.TABLE);
        }
        return SnatTable.parse(r.out);
    }

    /**
     * Runs one transaction: all of it or none of it lands.
     *
     * @param script nft commands, one per line
     * @throws NftException when nft refuses it
     */
    public void apply(String script) {
        Result r = run(script, "-f", "-");
        if (r.status != 0) {
            throw failure(r, "change table " + SnatTable.TABLE);
        }
    }

    private record Result(int status, String out, String err) {
    }

    private Result run(String input, String... args) {
        Path nft = binary.orElseThrow(() -> new NftException(
                "nft not found: FULLNAT needs nftables' command (install the nftables package)"));
        List<String> command = new ArrayList<>();
        command.add(nft.toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (OutputStream in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new NftException("nft did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new NftException("cannot run " + nft + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NftException("interrupted while nft ran");
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static boolean noNfTables(String err) {
        return err.contains("Operation not supported") || err.contains("Protocol not supported")
                || err.contains("cannot open netlink socket");
    }

    /** nft's own words, with what to do for the failures an operator can fix by installing something. */
    private static NftException failure(Result r, String what) {
        String text = r.err.strip();
        int newline = text.indexOf('\n');
        String first = newline < 0 ? text : text.substring(0, newline);
        if (noNfTables(text)) {
            return new NftException("nft cannot " + what + ": the kernel has no nf_tables NAT (load nf_tables,"
                    + " nft_chain_nat and nft_masq, or use a kernel built with them): " + first);
        }
        if (text.contains("Operation not permitted")) {
            return new NftException("nft cannot " + what + ": operation not permitted (FULLNAT needs CAP_NET_ADMIN)");
        }
        return new NftException("nft cannot " + what + ": " + (first.isEmpty() ? "exit status " + r.status : first));
    }
}

package io.jipvs.it.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jipvs.cli.Jipvs;
import io.jipvs.it.lab.Exec;
import io.jipvs.it.lab.Netns;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The differential suite: every corpus scenario runs once with the real ipvsadm (namespace A)
 * and once with jipvs in this JVM (namespace B), both from a fresh namespace; stdout, stderr
 * and the exit status must be equal after every line. Then each tool lists what the other made:
 * ipvsadm in B against ipvsadm in A, and jipvs in A against ipvsadm in A.
 *
 * <p>jipvs runs in-process with {@code --netns B} and the program name "ipvsadm", so messages
 * that quote argv[0] compare equal ("modulo the program name"); ipvsadm processes are cheap,
 * a JVM per line under the lab's emulation is not.
 */
class DifferentialIT {
    private static final AtomicInteger SCENARIOS = new AtomicInteger();
    private static final AtomicInteger LINES = new AtomicInteger();
    private static final AtomicInteger COMPARISONS = new AtomicInteger();

    /** Cross-listings after every scenario (ipvsadm arguments). */
    private static final List<List<String>> CROSS = List.of(
            List.of("-Ln"), List.of("-Sn"), List.of("-Ln", "--thresholds"), List.of("-Ln", "--tun-info"),
            List.of("-Ln", "--persistent-conn"), List.of("-L", "--timeout"), List.of("-L", "--daemon"));

    record Result(int status, String stdout, String stderr) {
    }

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException, URISyntaxException {
        List<Path> files = Scenario.corpus();
        assertTrue(files.size() > 0, "empty corpus");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(Scenario.read(f))));
    }

    private static void run(Scenario scenario) {
        List<String> differences = new ArrayList<>();
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            List<Scenario.Step> steps = scenario.steps();
            // ipvsadm first, all lines in one shell in namespace A (one `ip netns exec` per
            // scenario: under emulation each costs far more than ipvsadm itself).
            List<Result> expected = ipvsadmBatch(a, steps);
            for (int i = 0; i < steps.size(); i++) {
                Scenario.Step step = steps.get(i);
                Result actual = jipvs(b, step.args(), step.stdin());
                // A read-only line whose output depends on the namespace's hash order: ipvsadm
                // runs again, now in jipvs's namespace, at this point of the scenario.
                Result reference = step.sameNamespace() ? ipvsadmBatch(b, List.of(step)).get(0) : expected.get(i);
                compare(differences, step.toString(), reference, actual);
                LINES.incrementAndGet();
            }
            // Cross-listings in each namespace: ipvsadm lists what jipvs made (B), jipvs lists
            // what ipvsadm made (A). Within one namespace the kernel's dump order is the same.
            List<Scenario.Step> listings = new ArrayList<>();
            for (List<String> l : CROSS) {
                listings.add(new Scenario.Step(0, l, null, false));
            }
            List<Result> inA = ipvsadmBatch(a, listings);
            List<Result> inB = ipvsadmBatch(b, listings);
            for (int i = 0; i < CROSS.size(); i++) {
                List<String> l = CROSS.get(i);
                compare(differences, "ipvsadm lists jipvs's table: " + l, inB.get(i), jipvs(b, l, null));
                compare(differences, "jipvs lists ipvsadm's table: " + l, inA.get(i), jipvs(a, l, null));
            }
        }
        SCENARIOS.incrementAndGet();
        if (!differences.isEmpty()) {
            fail(scenario.name() + ": " + differences.size() + " difference(s)\n" + String.join("\n", differences));
        }
    }

    /** Runs every step with ipvsadm in one shell inside {@code ns}; one result per step. */
    static List<Result> ipvsadmBatch(Netns ns, List<Scenario.Step> steps) {
        List<Command> commands = new ArrayList<>();
        for (Scenario.Step step : steps) {
            List<String> argv = new ArrayList<>(List.of("ipvsadm"));
            argv.addAll(step.args());
            commands.add(new Command(argv, step.stdin()));
        }
        return batch(ns, commands);
    }

    /** One command line of a shell batch, and its standard input (null: empty). */
    record Command(List<String> argv, String stdin) {
    }

    /**
     * Runs the commands one after the other in one shell inside {@code ns} (one `ip netns exec`
     * for all: under emulation each costs far more than a command); one result per command.
     */
    static List<Result> batch(Netns ns, List<Command> commands) {
        try {
            Path dir = Files.createTempDirectory("jipvs-diff");
            StringBuilder script = new StringBuilder();
            for (int i = 0; i < commands.size(); i++) {
                Command command = commands.get(i);
                Path in = dir.resolve(i + ".in");
                Files.writeString(in, command.stdin() == null ? "" : command.stdin());
                for (String arg : command.argv()) {
                    script.append(" '").append(arg.replace("'", "'\\''")).append('\'');
                }
                script.append(" <").append(in).append(" >").append(dir.resolve(i + ".out")).append(" 2>")
                        .append(dir.resolve(i + ".err")).append("; echo $? >").append(dir.resolve(i + ".rc"))
                        .append('\n');
            }
            Path sh = dir.resolve("run.sh");
            Files.writeString(sh, script.toString());
            Exec.Result r = Exec.run("ip", "netns", "exec", ns.name(), "bash", sh.toString());
            if (r.exitCode() != 0) {
                throw new AssertionError("batch failed: " + r);
            }
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                results.add(new Result(Integer.parseInt(Files.readString(dir.resolve(i + ".rc")).strip()),
                        Files.readString(dir.resolve(i + ".out")), Files.readString(dir.resolve(i + ".err"))));
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void compare(List<String> differences, String what, Result expected, Result actual) {
        COMPARISONS.addAndGet(3);
        if (expected.status != actual.status) {
            differences.add(what + "\n  status: ipvsadm " + expected.status + ", jipvs " + actual.status);
        }
        if (!expected.stdout.equals(actual.stdout)) {
            differences.add(what + "\n  stdout differs:\n--- ipvsadm\n" + expected.stdout + "--- jipvs\n" + actual.stdout);
        }
        if (!expected.stderr.equals(actual.stderr)) {
            differences.add(what + "\n  stderr differs:\n--- ipvsadm\n" + expected.stderr + "--- jipvs\n" + actual.stderr);
        }
    }

    static Result jipvs(Netns ns, List<String> args, String stdin) {
        List<String> argv = new ArrayList<>(List.of("--netns", ns.name()));
        argv.addAll(args);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream((stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8));
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Jipvs.run("ipvsadm", argv.toArray(String[]::new), in, o, e);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void report() {
        System.out.printf("cli corpus: %d scenarios, %d command lines, %d comparisons%n", SCENARIOS.get(),
                LINES.get(), COMPARISONS.get());
    }
}

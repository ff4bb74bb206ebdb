package io.jipvs.control.health;

import java.io.IOException;
import java.util.Map;

/**
 * exec (keepalived MISC_CHECK): runs a program, which passes with exit 0 and fails with any
 * other code or when the timeout kills it; with {@code dynamic} (misc_dynamic), codes 2..255
 * pass and set the weight to the code minus 2. Started from the event-loop thread, so the
 * program runs in the director's network namespace; the JDK's process reaper waits for it.
 */
final class ExecChecker implements Checker {
    @Override
    public void start(Probe probe) {
        CheckSpec.Exec exec = probe.spec.exec();
        ProcessBuilder pb = new ProcessBuilder(exec.command())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.put("JIPVS_SERVICE", probe.environment.service());
        env.put("JIPVS_REAL_SERVER", probe.environment.realServer());
        env.put("JIPVS_CHECK_ADDRESS", io.jipvs.model.Addresses.ntop(probe.target.getAddress()));
        env.put("JIPVS_CHECK_PORT", Integer.toString(probe.target.getPort()));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            probe.fail("cannot run " + exec.command().get(0) + ": " + e.getMessage());
            return;
        }
        probe.onTimeout(() -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        });
        process.onExit().thenAccept(p -> probe.loop.execute(() -> {
            int code = p.exitValue();
            if (code == 0) {
                probe.pass("exit 0");
            } else if (exec.dynamic() && code >= 2 && code <= 255) {
                probe.passWithWeight("exit " + code + ": weight " + (code - 2), code - 2);
            } else {
                probe.fail("exit " + code);
            }
        }));
    }
}

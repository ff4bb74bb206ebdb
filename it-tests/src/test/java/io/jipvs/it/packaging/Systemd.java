package io.jipvs.it.packaging;

import io.jipvs.it.lab.Exec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real systemd, booted as PID 1 of new PID, mount, network and cgroup namespaces (with a /run of
 * its own) on this machine's root filesystem, so that the installed units run under the service
 * manager they are written for without touching the machine's own IPVS table, cgroups or
 * services. It boots to an empty target: a unit runs only when a test starts it. Commands reach it
 * with nsenter, inside its namespaces (its /run, its /proc, its IPVS table).
 */
record Systemd(Process unshare, long pid, Path console) implements AutoCloseable {

    /**
     * Boots systemd with the units and drop-ins of {@code runtimeUnits} in /run/systemd/system
     * (added to, and taking precedence over, those installed under /usr/lib).
     */
    static Systemd boot(Path runtimeUnits) throws IOException, InterruptedException {
        Path console = Files.createTempFile("jipvs-systemd", ".log");
        Files.writeString(runtimeUnits.resolve("jipvs-test.target"), "[Unit]\nDescription=jipvs test boot\n");
        // PID 1 writes to /dev/console: in its mount namespace that is the log file.
        // The cgroup hierarchy mounted afresh shows the new cgroup namespace: systemd's slices go
        // below this process's cgroup, not beside the machine's own. (The old mount goes first where
        // it can: a cgroup2 cannot be mounted twice on one place; a hybrid tree stays under it.)
        String init = "mount -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/systemd/system"
                + " && cp -r \"$1\"/. /run/systemd/system/ && mount --bind \"$2\" /dev/console"
                + " && { umount /sys/fs/cgroup 2>/dev/null || true; }"
                + " && mount -t cgroup2 cgroup2 /sys/fs/cgroup && ip link set lo up"
                + " && exec /lib/systemd/systemd --system --unit=jipvs-test.target --log-target=console --log-level=info";
        ProcessBuilder pb = new ProcessBuilder("unshare", "--pid", "--fork", "--mount", "--mount-proc", "--net",
                "--cgroup", "sh", "-c", init,
                "init", runtimeUnits.toString(), console.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        // A container to systemd: it leaves devices (udev) and the clock alone.
        pb.environment().put("container", "jipvs-test");
        Process unshare = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long pid = -1;
        Exec.Result last = null;
        while (System.nanoTime() < deadline && unshare.isAlive()) {
            pid = unshare.toHandle().children().filter(c -> c.info().command().orElse("").endsWith("systemd"))
                    .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
            if (pid > 0) {
                // Booted: its (empty) default target is reached and it answers systemctl.
                Systemd systemd = new Systemd(unshare, pid, console);
                last = systemd.run("systemctl", "is-active", "jipvs-test.target");
                if (last.stdout().strip().equals("active")) {
                    return systemd;
                }
            }
            Thread.sleep(100);
        }
        unshare.destroyForcibly();
        throw new AssertionError("systemd did not boot (pid " + pid + ", last answer " + last + "): "
                + Files.readString(console));
    }

    /**
     * {@code command} inside systemd's PID, mount and network namespaces, with its root directory: entering a
     * mount namespace alone puts a process at that namespace's root, which in the lab is the
     * initramfs the guest's root filesystem was chrooted from.
     */
    Exec.Result run(String... command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid), "-m", "-p", "-n", "-r", "-w"));
        full.addAll(List.of(command));
        return Exec.run(full);
    }

    /** systemctl ARGS, which must succeed. */
    String systemctl(String... args) {
        List<String> full = new ArrayList<>(List.of("systemctl", "--no-pager"));
        full.addAll(List.of(args));
        Exec.Result r = run(full.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new AssertionError("systemctl " + String.join(" ", args) + ": exit " + r.exitCode() + "\n" + r.stdout()
                    + r.stderr() + "\n" + status());
        }
        return r.stdout();
    }

    /** One property of a unit, as systemctl show prints its value. */
    String property(String unit, String name) {
        return systemctl("show", "-p", name, "--value", unit).strip();
    }

    /** What a test failure should show: every jipvs unit's status and the manager's console. */
    String status() {
        Exec.Result units = run("systemctl", "--no-pager", "status", "-n", "30", "jipvs.service", "jipvs.socket",
                "jipvs-daemon.service", "jipvs-rules.service");
        try {
            return units.stdout() + units.stderr() + "\nconsole:\n" + Files.readString(console);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Powers the manager off (it stops every unit), or kills its namespace when it does not go. */
    @Override
    public void close() throws IOException, InterruptedException {
        run("systemctl", "--no-block", "poweroff");
        if (!unshare.waitFor(60, TimeUnit.SECONDS)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            unshare.destroyForcibly();
            unshare.waitFor();
        }
        Files.deleteIfExists(console);
    }
}

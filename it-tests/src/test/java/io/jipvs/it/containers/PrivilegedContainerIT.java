package io.jipvs.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.jipvs.it.lab.Exec;
import io.jipvs.it.lab.ProcIpvs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * IPVS programmed from inside a privileged container: the container has its own network
 * namespace, so its table is its own and the namespace this JVM runs in is untouched.
 *
 * <p>In the kernel lab no registry is reachable: lab/guest-tests.sh imports a busybox image, and
 * the lab's root (the host's, read-only) is bind-mounted so that ipvsadm runs chrooted. Elsewhere
 * (a laptop with Docker Desktop, whose kernel has IPVS) the image is built with Debian's ipvsadm.
 *
 * <p>The container runs its script as its command rather than through {@code docker exec}: in the
 * lab the engine's root is the initramfs, where runc cannot pivot_root, and an exec'd process
 * lands in the initramfs instead of the container's root.
 */
class PrivilegedContainerIT {
    static final String LAB_IMAGE = "jipvs-it/busybox:lab";
    static final String SCRIPT = String.join("\n",
            "readlink /proc/self/ns/net",
            "ipvsadm -A -t 10.7.0.1:80 -s rr",
            "ipvsadm -a -t 10.7.0.1:80 -r 10.7.0.2:80 -m",
            "echo '--- table'",
            "cat /proc/net/ip_vs");

    private static String output;

    @BeforeAll
    static void runContainer() {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "no Docker engine reachable");
        GenericContainer<?> container;
        if (System.getenv("JIPVS_LAB") != null) {
            container = new GenericContainer<>(DockerImageName.parse(LAB_IMAGE))
                    // Set on the create command: Testcontainers drops withFileSystemBind when its
                    // own mount self-check fails, as it does under the lab's vfs storage driver.
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                            .withBinds(new Bind("/", new Volume("/host"), AccessMode.ro)))
                    .withCommand("chroot", "/host", "/bin/sh", "-ec", SCRIPT);
        } else {
            container = new GenericContainer<>(new ImageFromDockerfile("jipvs-it/ipvsadm", false)
                    .withDockerfileFromBuilder(b -> b.from("debian:bookworm-slim")
                            .run("apt-get update && apt-get install -y --no-install-recommends ipvsadm")
                            .build()))
                    .withCommand("/bin/sh", "-ec", SCRIPT);
        }
        try (container) {
            container.withPrivilegedMode(true)
                    .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(2)))
                    .start();
            output = container.getLogs(OutputFrame.OutputType.STDOUT);
        }
    }

    private static List<ProcIpvs.Service> tableInside() {
        int at = output.indexOf("--- table\n");
        assertTrue(at >= 0, output);
        return ProcIpvs.parse(output.substring(at));
    }

    @Test
    void containerProgramsItsOwnTable() {
        List<ProcIpvs.Service> inside = tableInside();
        assertEquals(1, inside.size(), output);
        assertEquals("0A070001:0050", inside.get(0).address()); // 10.7.0.1:80
        assertEquals(List.of(new ProcIpvs.Dest("0A070002:0050", "Masq", 1)), inside.get(0).dests());
    }

    @Test
    void namespaceOfThisJvmIsUntouched() {
        List<ProcIpvs.Service> outside = ProcIpvs.parse(Exec.run("cat", "/proc/net/ip_vs").orThrow().stdout());
        assertFalse(outside.stream().anyMatch(s -> s.address().equals("0A070001:0050")), outside.toString());
        if (System.getenv("JIPVS_LAB") != null) {
            // Nothing else uses the lab's own namespace (every other test makes its own): empty.
            assertEquals(List.of(), outside);
        }
    }

    @Test
    void containerHasItsOwnNetworkNamespace() {
        String inside = output.lines().findFirst().orElse("");
        String outside = Exec.run("readlink", "/proc/self/ns/net").orThrow().stdout().trim();
        assertTrue(inside.startsWith("net:["), output);
        assertFalse(inside.equals(outside), "container shares this JVM's network namespace " + outside);
    }
}

package io.jipvs.control.serve;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs notifyUp/notifyDown and quorumUp/quorumDown programs, one at a time and in order, on their
 * own thread with a timeout: a slow hook delays the next hook, never a check or a reconcile.
 */
final class Hooks implements AutoCloseable {
    /** How long a hook may run before it is killed (keepalived's script timeout is also seconds). */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ExecutorService thread;
    private final Consumer<Event> events;

    Hooks(ThreadFactory threads, Consumer<Event> events) {
        this.thread = Executors.newSingleThreadExecutor(threads);
        this.events = events;
    }

    /** Runs {@code command} with {@code env} added to serve's environment; reports a failure as an event. */
    void run(List<String> command, Map<String, String> env, Event about) {
        if (command.isEmpty()) {
            return;
        }
        thread.execute(() -> {
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(env);
            String failure = null;
            try {
                Process p = pb.start();
                if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    failure = "timed out after " + TIMEOUT.toSeconds() + " s";
                } else if (p.exitValue() != 0) {
                    failure = "exit " + p.exitValue();
                }
            } catch (IOException e) {
                failure = "cannot run " + command.get(0) + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (failure != null) {
                events.accept(new Event(Instant.now(), Event.Kind.HOOK_FAILED, about.service(), about.member(), null,
                        about.kind().word() + " hook " + String.join(" ", command) + ": " + failure));
            }
        });
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

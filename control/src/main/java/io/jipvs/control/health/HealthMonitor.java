package io.jipvs.control.health;

import io.jipvs.control.desired.Member;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs every real server's check on a small fixed group of event-loop threads: no thread per
 * check or per server. Each server's first check comes at a random point of its warmup, so that
 * thousands of checks do not fire at one instant; after that each keeps its own rhythm (the
 * interval, or the retry delay after a failure).
 */
public final class HealthMonitor implements AutoCloseable {

    /** Told every result; called on an event-loop thread, so it must not block. */
    public interface Listener {
        /**
         * One check finished.
         *
         * @param member     the real server
         * @param result     what the check found
         * @param transition what it changed
         * @param state      the state after it
         */
        void checked(Member member, CheckResult result, HealthState.Transition transition, HealthState.Snapshot state);
    }

    /**
     * What to check for one real server.
     *
     * @param spec    the check
     * @param address the address and port checked
     * @param source  the source address, or null
     * @param service the service's name or key, for exec checks' environment
     */
    public record Target(CheckSpec spec, InetSocketAddress address, InetSocketAddress source, String service) {
        /**
         * Checks the values.
         *
         * @param spec    the check
         * @param address the address checked
         * @param source  the source, or null
         * @param service the service's label
         */
        public Target {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(address, "address");
        }
    }

    private final EventLoopGroup group;
    private final Listener listener;
    private final TlsContexts tls = new TlsContexts();
    private final Map<Member, Watch> watches = new HashMap<>();
    /** Each loop's timers. */
    private final Map<EventExecutor, Slots> slots = new IdentityHashMap<>();

    /**
     * A monitor with its own event-loop threads.
     *
     * @param threads  makes the threads (in the director's namespace)
     * @param count    how many
     * @param listener told every result
     */
    public HealthMonitor(ThreadFactory threads, int count, Listener listener) {
        this.group = new MultiThreadIoEventLoopGroup(count, threads, Transport.handlers());
        this.listener = listener;
        group.forEach(loop -> slots.put(loop, new Slots((EventLoop) loop)));
    }

    /**
     * Checks exactly these servers from now on. A server whose check is unchanged keeps its
     * state and rhythm; one whose check changed keeps its state and starts the new check; a new
     * one starts in the state {@code initial} gives it; the others stop being checked.
     *
     * @param targets what to check
     * @param initial the first state of a server not checked before
     */
    public synchronized void watch(Map<Member, Target> targets, Function<Member, HealthState.Status> initial) {
        watches.entrySet().removeIf(e -> {
            if (!targets.containsKey(e.getKey())) {
                e.getValue().stop();
                return true;
            }
            return false;
        });
        Instant now = Instant.now();
        for (Map.Entry<Member, Target> e : targets.entrySet()) {
            Watch w = watches.get(e.getKey());
            if (w != null && w.target.equals(e.getValue())) {
                continue;
            }
            HealthState state;
            if (w != null) {
                w.stop();
                state = w.state;
            } else {
                HealthState.Status first = e.getValue().spec().alpha() ? HealthState.Status.DOWN : initial.apply(e.getKey());
                state = new HealthState(first, now);
            }
            EventLoop loop = group.next();
            Watch next = new Watch(e.getKey(), e.getValue(), state, loop, slots.get(loop));
            watches.put(e.getKey(), next);
            next.start();
        }
    }

    /**
     * What the checks' sockets run on.
     *
     * @return "epoll" (Netty's native transport) or "nio" (the JDK's selector)
     */
    public static String transport() {
        return Transport.EPOLL ? "epoll" : "nio";
    }

    /**
     * Every watched server's state.
     *
     * @return snapshots by server
     */
    public synchronized Map<Member, HealthState.Snapshot> snapshot() {
        Map<Member, HealthState.Snapshot> out = new HashMap<>();
        watches.forEach((m, w) -> out.put(m, w.state.snapshot()));
        return out;
    }

    /**
     * Every watched server's check durations.
     *
     * @return durations by server
     */
    public synchronized Map<Member, HealthState.Durations> durations() {
        Map<Member, HealthState.Durations> out = new HashMap<>();
        watches.forEach((m, w) -> out.put(m, w.state.durations()));
        return out;
    }

    /**
     * One server's state.
     *
     * @param member the server
     * @return its snapshot, or null when it is not checked
     */
    public synchronized HealthState.Snapshot state(Member member) {
        Watch w = watches.get(member);
        return w == null ? null : w.state.snapshot();
    }

    /** Stops every check and the threads. */
    @Override
    public void close() {
        synchronized (this) {
            watches.values().forEach(Watch::stop);
            watches.clear();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One server's checks: a chain of probes, each scheduled when the last one ended. */
    private final class Watch {
        final Member member;
        final Target target;
        final HealthState state;
        final EventLoop loop;
        final Slots slots;
        final Checker checker;
        final Probe.Environment environment;
        private volatile boolean stopped;
        /** When the running probe started (System.nanoTime()); its end is that plus its latency. */
        private long probeStarted;

        Watch(Member member, Target target, HealthState state, EventLoop loop, Slots slots) {
            this.member = member;
            this.target = target;
            this.state = state;
            this.loop = loop;
            this.slots = slots;
            this.checker = Checker.of(target.spec().type(), tls);
            // Once per server, not per check: an address printed 2,000 times a second shows in a profile.
            this.environment = new Probe.Environment(target.service(), member.realServer().toString());
        }

        void start() {
            long warmup = target.spec().warmup().toNanos();
            schedule(warmup <= 0 ? 0 : ThreadLocalRandom.current().nextLong(warmup));
        }

        /**
         * Its pending timer, if any, finds it stopped when its slot comes; its checker lets go of
         * what it keeps once the probe in flight, if any, ends.
         */
        void stop() {
            stopped = true;
            try {
                loop.execute(checker::close);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The loop has shut down, and its sockets with it.
            }
        }

        private void schedule(long nanos) {
            if (!stopped) {
                slots.near(nanos, this::run);
            }
        }

        private void run() {
            if (stopped) {
                return;
            }
            Probe probe = new Probe(target.spec(), target.address(), target.source(), loop, slots, environment, this::done);
            probeStarted = probe.started;
            try {
                checker.start(probe);
            } catch (RuntimeException e) {
                probe.fail(e);
            }
        }

        private void done(CheckResult result) {
            if (stopped) {
                return;
            }
            HealthState.Transition t = state.record(result, target.spec(), InstantSource.system());
            try {
                listener.checked(member, result, t, state.snapshot());
            } finally {
                Duration d = state.nextDelay(target.spec());
                if (!stopped) {
                    // From the probe's end, known without reading the clock again.
                    slots.nearAt(probeStarted + result.latency().toNanos() + d.toNanos(), this::run);
                }
            }
        }
    }
}

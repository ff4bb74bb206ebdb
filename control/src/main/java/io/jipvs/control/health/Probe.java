package io.jipvs.control.health;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One run of one check: its spec, the address checked, the event loop it runs on, and its
 * single result. The first of pass, fail and the timeout wins; later ones are ignored, and the
 * probe's channel (if it opened one) is closed with the result.
 */
final class Probe {
    final CheckSpec spec;
    final InetSocketAddress target;
    final InetSocketAddress source;
    final EventLoop loop;
    final Environment environment;
    /** System.nanoTime() at the start. */
    final long started = System.nanoTime();
    private final Consumer<CheckResult> done;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Runnable release;
    private volatile Runnable onTimeout;

    /** What an exec check or a hook is told about the server it checks. */
    record Environment(String service, String realServer) {
    }

    Probe(CheckSpec spec, InetSocketAddress target, InetSocketAddress source, EventLoop loop, Slots slots,
          Environment environment, Consumer<CheckResult> done) {
        this.spec = spec;
        this.target = target;
        this.source = source;
        this.loop = loop;
        this.environment = environment;
        this.done = done;
        // Not cancelled when the probe ends first: the timer finds it finished.
        slots.afterAt(started + spec.timeout().toNanos(), this::timedOut);
    }

    /** The channel to close when the probe ends. */
    void channel(Channel c) {
        closeWith(c::close);
    }

    /** What releases the probe's socket when it ends (at once, if it has ended already). */
    void closeWith(Runnable r) {
        this.release = r;
        if (finished.get()) {
            r.run();
        }
    }

    /** What to do (kill a program) when the timeout fires first. */
    void onTimeout(Runnable r) {
        this.onTimeout = r;
    }

    void pass(String detail) {
        finish(new CheckResult(true, detail, elapsed(), OptionalInt.empty()));
    }

    void passWithWeight(String detail, int weight) {
        finish(new CheckResult(true, detail, elapsed(), OptionalInt.of(weight)));
    }

    void fail(String detail) {
        finish(new CheckResult(false, detail, elapsed(), OptionalInt.empty()));
    }

    /** A failure from an exception, in a few words and without Netty's class names. */
    void fail(Throwable cause) {
        fail(reason(cause));
    }

    /** UDP checks pass on silence: only an ICMP error or a required reply decides otherwise. */
    private void timedOut() {
        if (finished.get()) {
            return;
        }
        Runnable r = onTimeout;
        if (r != null) {
            r.run();
        }
        if (spec.type() == CheckType.UDP && !spec.udp().requireReply()) {
            pass("no ICMP error within " + millis(spec.timeout()));
        } else {
            fail("timed out after " + millis(spec.timeout()));
        }
    }

    private void finish(CheckResult result) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        Runnable r = release;
        if (r != null) {
            r.run();
        }
        done.accept(result);
    }

    boolean finished() {
        return finished.get();
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    static String millis(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static final java.util.regex.Pattern NATIVE = java.util.regex.Pattern.compile(
            "\\w+\\(\\.\\.\\) failed(?: with error)?(?:\\(-?\\d+\\))?: (.*)");

    static String reason(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && t.getCause() != t
                && (t instanceof io.netty.handler.codec.DecoderException || t.getMessage() == null)) {
            t = t.getCause();
        }
        if (t instanceof ConnectTimeoutException) {
            return "connect timed out";
        }
        if (t instanceof PortUnreachableException) {
            return "ICMP port unreachable";
        }
        if (t instanceof NoRouteToHostException && t.getMessage() == null) {
            return "connect: No route to host";
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        // Netty appends the address ("Connection refused: /10.0.0.1:80"); the log names it already.
        int colon = m.indexOf(": /");
        if (colon > 0) {
            m = m.substring(0, colon);
        }
        // The epoll transport names its system call first: "finishConnect(..) failed with error(-111): ...".
        java.util.regex.Matcher syscall = NATIVE.matcher(m);
        if (syscall.matches()) {
            m = syscall.group(1);
        }
        if (t instanceof ConnectException) {
            return "connect: " + m;
        }
        return m;
    }
}

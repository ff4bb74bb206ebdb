package io.jipvs.it.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium, driven over the DevTools protocol (a WebSocket): a real browser
 * that loads a page, runs its scripts and answers questions about its DOM, and takes screenshots.
 */
public final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://[^\\s]+)");
    private static final Duration ANSWER = Duration.ofSeconds(120);

    private final Process process;
    private final Path profile;
    private WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();

    private Chromium(Process process, Path profile) {
        this.process = process;
        this.profile = profile;
    }

    /**
     * Starts Chromium on {@code url} with a window of {@code width} × {@code height}.
     *
     * @param url    the page
     * @param width  CSS pixels
     * @param height CSS pixels
     * @return the browser, its page loading
     * @throws IOException when it does not start
     */
    public static Chromium open(String url, int width, int height) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium profile");
        Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, url)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String browser = null;
        StringBuilder said = new StringBuilder();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; browser == null && (line = err.readLine()) != null; ) {
                said.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    browser = m.group(1);
                }
            }
            if (browser == null) {
                p.destroyForcibly();
                throw new IOException("chromium did not start:\n" + said);
            }
            // Keep draining its log, or it blocks once the pipe fills.
            Thread drain = new Thread(() -> {
                try {
                    p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // it exited
                }
            }, "chromium-log");
            drain.setDaemon(true);
            drain.start();
        }
        URI base = URI.create(browser.replaceFirst("^ws://", "http://").replaceFirst("/devtools/.*$", ""));
        HttpClient http = HttpClient.newHttpClient();
        String page = null;
        long deadline = System.nanoTime() + ANSWER.toNanos();
        while (page == null && System.nanoTime() < deadline) {
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(base.resolve("/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode t : JSON.readTree(list.body())) {
                if (t.path("type").asText().equals("page")) {
                    page = t.path("webSocketDebuggerUrl").asText();
                }
            }
            if (page == null) {
                Thread.sleep(100);
            }
        }
        if (page == null) {
            p.destroyForcibly();
            throw new IOException("chromium opened no page");
        }
        Chromium c = new Chromium(p, profile);
        c.socket = http.newWebSocketBuilder().buildAsync(URI.create(page), c.new Listener()).join();
        return c;
    }

    /**
     * A DevTools command; waits for its result.
     *
     * @param method e.g. "Page.captureScreenshot"
     * @param params its parameters
     * @return the result object
     */
    public JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", params == null ? JSON.createObjectNode() : params);
        socket.sendText(JSON.writeValueAsString(msg), true).join();
        JsonNode r = answer.get(ANSWER.toSeconds(), TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IOException(method + ": " + r.get("error"));
        }
        return r.path("result");
    }

    /**
     * Evaluates JavaScript in the page; the value is returned as JSON.
     *
     * @param expression the script
     * @return its value
     */
    public JsonNode evaluate(String expression) throws Exception {
        ObjectNode p = JSON.createObjectNode();
        p.put("expression", expression);
        p.put("returnByValue", true);
        p.put("awaitPromise", true);
        JsonNode r = call("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            throw new IOException("script failed: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /**
     * Emulates a viewport (a phone with {@code mobile}).
     *
     * @param width  CSS pixels
     * @param height CSS pixels
     * @param mobile whether to emulate a mobile device
     */
    public void viewport(int width, int height, boolean mobile) throws Exception {
        ObjectNode p = JSON.createObjectNode();
        p.put("width", width);
        p.put("height", height);
        p.put("deviceScaleFactor", 1);
        p.put("mobile", mobile);
        call("Emulation.setDeviceMetricsOverride", p);
    }

    /**
     * A PNG of the viewport, written to {@code file}.
     *
     * @param file where
     */
    public void screenshot(Path file) throws Exception {
        ObjectNode p = JSON.createObjectNode();
        p.put("format", "png");
        byte[] png = Base64.getDecoder().decode(call("Page.captureScreenshot", p).path("data").asText());
        Files.createDirectories(file.getParent());
        Files.write(file, png);
    }

    @Override
    public void close() throws Exception {
        if (socket != null) {
            socket.abort();
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try (var walk = Files.walk(profile)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Completes each command's future with its answer; events are not needed here. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(partial.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = waiting.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    }
                } catch (IOException e) {
                    // not JSON: ignore
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}

package io.jipvs.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.DirectorRole;
import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.metrics.ServeMetrics;
import io.jipvs.control.metrics.TableMetrics;
import io.jipvs.control.serve.Supervisor;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.Stats;
import io.jipvs.netlink.ipvs.Ipvs;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What serve answers over HTTP, the same on both listeners except for who may change state:
 * <ul>
 * <li>read-only, anyone who reaches the listener: {@code /} (the status page), {@code /metrics},
 * {@code GET /api/v1/state}, {@code GET /api/v1/events};</li>
 * <li>changes ({@code POST /api/v1/reload}, {@code POST /api/v1/role}, {@code POST /api/v1/services/S/real-servers/R/drain},
 * {@code .../undrain}, {@code .../weight}): on the API socket (root with CAP_NET_ADMIN, checked
 * before a byte is read); over TCP only with {@code --api-token-file} and its bearer token (401
 * without it or with another), never without a token file (403).</li>
 * </ul>
 * docs/api.md is the reference.
 */
final class Routes {
    static final String API = "/api/v1/";

    /** What one request gets: a whole response, or an event stream to open. */
    sealed interface Answer permits Full, Events {
    }

    record Full(FullHttpResponse response) implements Answer {
    }

    record Events() implements Answer {
    }

    private final Supervisor supervisor;
    private final Supplier<Ipvs> opener;
    private final Scrape scrape;
    private final ServeFile file;
    private final byte[] token;

    /**
     * @param supervisor serve's engine
     * @param opener     opens the table for the state page (on the calling thread, in its namespace)
     * @param scrape     /metrics
     * @param file       the file in force: reload reads it again, --persist writes it
     * @param token      the bearer token TCP callers must show to change state, or null for none
     */
    Routes(Supervisor supervisor, Supplier<Ipvs> opener, Scrape scrape, ServeFile file, byte[] token) {
        this.supervisor = supervisor;
        this.opener = opener;
        this.scrape = scrape;
        this.file = file;
        this.token = token;
    }

    /**
     * serve's routes over a table: /metrics with the table's and serve's collectors.
     *
     * @param supervisor serve's engine
     * @param opener     opens the table (the kernel's, or a test's)
     * @param totals     reads the namespace's IPVS totals
     * @param file       the file in force
     * @param token      the bearer token for changes over TCP, or null
     * @return the routes
     */
    static Routes of(Supervisor supervisor, Supplier<Ipvs> opener, Supplier<Stats> totals, ServeFile file,
                     byte[] token) {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new TableMetrics(opener, totals, () -> supervisor.file().state().names()::get));
        registry.register(new ServeMetrics(supervisor));
        return new Routes(supervisor, opener, new Scrape(registry), file, token);
    }

    Answer handle(FullHttpRequest request, boolean socket) throws IOException, InterruptedException {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        HttpMethod method = request.method();
        boolean read = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
        switch (path) {
            case "/":
                return read ? new Full(resource("status.html", "text/html; charset=utf-8")) : notAllowed("GET");
            case "/status.js":
                return read ? new Full(resource("status.js", "text/javascript; charset=utf-8")) : notAllowed("GET");
            case "/metrics":
                return read ? new Full(scrape.handle(request)) : notAllowed("GET");
            case API + "state":
                if (!read) {
                    return notAllowed("GET");
                }
                try (Ipvs ipvs = opener.get()) {
                    return json(HttpResponseStatus.OK, StateDocument.of(supervisor, ipvs, Instant.now()));
                }
            case API + "events":
                return read ? new Events() : notAllowed("GET");
            default:
                break;
        }
        if (!path.startsWith(API)) {
            return error(HttpResponseStatus.NOT_FOUND, "no such page: " + path);
        }
        boolean change = path.equals(API + "reload") || path.equals(API + "role") || path.startsWith(API + "services/");
        if (!change) {
            return error(HttpResponseStatus.NOT_FOUND, "no such route: " + path);
        }
        if (!method.equals(HttpMethod.POST)) {
            return notAllowed("POST");
        }
        Answer refused = authorize(request, socket);
        if (refused != null) {
            return refused;
        }
        if (path.equals(API + "reload")) {
            String errors = file.reload(supervisor);
            supervisor.settle();
            return errors == null ? ok("reloaded") : error(HttpResponseStatus.UNPROCESSABLE_ENTITY, errors);
        }
        if (path.equals(API + "role")) {
            DirectorRole role = roleOf(request);
            if (role == null) {
                return error(HttpResponseStatus.BAD_REQUEST, "the body must be {\"role\": R} with R master, backup or fault");
            }
            try {
                return ok(supervisor.role(role));
            } catch (IllegalStateException e) {
                return error(HttpResponseStatus.CONFLICT, e.getMessage());
            }
        }
        List<String> persist = uri.parameters().getOrDefault("persist", List.of());
        if (!persist.isEmpty() && !persist.equals(List.of("true"))) {
            return error(HttpResponseStatus.BAD_REQUEST, "persist takes true, once");
        }
        return realServer(request, path.substring((API + "services/").length()), !persist.isEmpty());
    }

    /**
     * {@code S/real-servers/R/ACTION}: S a service's name or key, R ADDRESS:PORT ([v6]:PORT);
     * with {@code persist}, the weight is written into the file instead of held as an override.
     */
    private Answer realServer(FullHttpRequest request, String rest, boolean persist)
            throws InterruptedException, IOException {
        String[] parts = rest.split("/", -1);
        if (parts.length != 4 || !parts[1].equals("real-servers")) {
            return error(HttpResponseStatus.NOT_FOUND, "no such route: " + API + "services/" + rest);
        }
        String serviceText = QueryStringDecoder.decodeComponent(parts[0]);
        String rsText = QueryStringDecoder.decodeComponent(parts[2]);
        Optional<ServiceKey> service = service(serviceText);
        if (service.isEmpty()) {
            return error(HttpResponseStatus.NOT_FOUND, "no service " + serviceText + " in the file in force");
        }
        RealServerKey rs = realServerKey(rsText);
        if (rs == null) {
            return error(HttpResponseStatus.BAD_REQUEST, "not ADDRESS:PORT ([ADDRESS]:PORT for IPv6): " + rsText);
        }
        Integer weight;
        switch (parts[3]) {
            case "drain" -> weight = 0;
            case "undrain" -> weight = null;
            case "weight" -> {
                weight = weightOf(request);
                if (weight == null) {
                    return error(HttpResponseStatus.BAD_REQUEST, "the body must be {\"weight\": N} with N in 0..65535");
                }
            }
            default -> {
                return error(HttpResponseStatus.NOT_FOUND, "no such action: " + parts[3] + " (drain, undrain, weight)");
            }
        }
        Member member = new Member(service.get(), rs);
        String done = parts[3].equals("weight") ? "weight " + weight : parts[3];
        if (persist) {
            return persist(member, weight, done);
        }
        String why = supervisor.override(member, weight);
        if (why != null) {
            return error(HttpResponseStatus.NOT_FOUND, why);
        }
        return ok(done);
    }

    private Answer persist(Member member, Integer weight, String done) throws InterruptedException, IOException {
        if (weight == null) {
            return error(HttpResponseStatus.BAD_REQUEST, "undrain has nothing to persist: it goes back to the file's"
                    + " weight (write another with weight N and persist)");
        }
        String why;
        try {
            why = file.persist(supervisor, member, weight);
        } catch (ServeFile.Refused e) {
            return error(e.conflict ? HttpResponseStatus.CONFLICT : HttpResponseStatus.UNPROCESSABLE_ENTITY, e.getMessage());
        }
        supervisor.settle();
        if (why != null) {
            return error(HttpResponseStatus.NOT_FOUND, why);
        }
        return ok(done + ", written to " + file.path());
    }

    private Answer authorize(FullHttpRequest request, boolean socket) {
        if (socket) {
            return null; // the peer was checked on accept: root with CAP_NET_ADMIN
        }
        if (token == null) {
            return error(HttpResponseStatus.FORBIDDEN,
                    "changes are served on the API socket only; over TCP they need serve's --api-token-file");
        }
        String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        byte[] shown = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                ? auth.substring(7).strip().getBytes(StandardCharsets.UTF_8) : null;
        if (shown == null || !MessageDigest.isEqual(shown, token)) {
            Full f = error(HttpResponseStatus.UNAUTHORIZED, shown == null ? "a bearer token is required" : "wrong token");
            f.response().headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"jipvs\"");
            return f;
        }
        return null;
    }

    /** A name the file gives, else PROTO:ADDRESS:PORT ([v6] in brackets) or fwm:MARK[:inet6]. */
    private Optional<ServiceKey> service(String text) {
        List<DesiredService> services = supervisor.file().state().services();
        for (DesiredService s : services) {
            if (text.equals(s.name())) {
                return Optional.of(s.key());
            }
        }
        ServiceKey key = serviceKey(text);
        return services.stream().map(DesiredService::key).filter(k -> k.equals(key)).findFirst();
    }

    static ServiceKey serviceKey(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String proto = text.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = text.substring(colon + 1);
        try {
            if (proto.equals("fwm")) {
                boolean six = rest.endsWith(":inet6");
                long mark = Long.parseLong(six ? rest.substring(0, rest.length() - 6) : rest);
                return ServiceKey.ofFwmark(six ? AddressFamily.INET6 : AddressFamily.INET, mark);
            }
            RealServerKey at = realServerKey(rest);
            return at == null ? null : ServiceKey.of(Protocol.valueOf(proto.toUpperCase(Locale.ROOT)), at.address(), at.port());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static RealServerKey realServerKey(String text) {
        InetSocketAddress a = Addresses.hostPort(text);
        return a == null ? null : new RealServerKey(a.getAddress(), a.getPort());
    }

    private static DirectorRole roleOf(FullHttpRequest request) {
        JsonNode r = bodyField(request, "role");
        try {
            return r == null || !r.isTextual() ? null : DirectorRole.of(r.asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Integer weightOf(FullHttpRequest request) {
        JsonNode w = bodyField(request, "weight");
        if (w == null || !w.isIntegralNumber() || w.asLong() < 0 || w.asLong() > 65535) {
            return null;
        }
        return w.asInt();
    }

    /** A field of the request's JSON body, or null when the body is not JSON or lacks it. */
    private static JsonNode bodyField(FullHttpRequest request, String name) {
        try {
            JsonNode body = StateDocument.JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
            return body == null ? null : body.get(name);
        } catch (IOException e) {
            return null;
        }
    }

    private static Full ok(String done) {
        ObjectNode n = StateDocument.JSON.createObjectNode();
        n.put("done", done);
        return json(HttpResponseStatus.OK, n);
    }

    static Full error(HttpResponseStatus status, String message) {
        ObjectNode n = StateDocument.JSON.createObjectNode();
        n.put("error", message);
        return json(status, n);
    }

    private static Full notAllowed(String allowed) {
        Full f = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + allowed);
        f.response().headers().set(HttpHeaderNames.ALLOW, allowed.equals("GET") ? "GET, HEAD" : allowed);
        return f;
    }

    private static Full json(HttpResponseStatus status, JsonNode body) {
        byte[] bytes;
        try {
            bytes = (StateDocument.JSON.writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return new Full(r);
    }

    private static FullHttpResponse resource(String name, String type) throws IOException {
        byte[] bytes;
        try (InputStream in = Routes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            bytes = in.readAllBytes();
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        // Scripts only from this listener, nothing inline: a name shown as HTML could not run anyway.
        r.headers().set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'");
        r.headers().set("X-Content-Type-Options", "nosniff");
        return r;
    }
}

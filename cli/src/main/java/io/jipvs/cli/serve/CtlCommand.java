package io.jipvs.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.jipvs.cli.NetnsOption;
import io.jipvs.cli.PrintingCommand;
import io.jipvs.control.desired.DirectorRole;
import io.jipvs.control.serve.Supervisor;
import io.jipvs.netlink.NetworkNamespace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * jipvs ctl: a running serve's API over its Unix socket, for scripts and people at a shell.
 * HTTP is Netty's codec, driven over a blocking JDK socket: one request, one answer.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true,
        header = "Steer a running serve: state, drain, undrain, weight, reload, role.", description = {
        "Steer a running jipvs serve over its API socket (root with CAP_NET_ADMIN):",
        "  state                          the whole state as JSON (as GET /api/v1/state)",
        "  drain SERVICE REALSERVER       weight 0: no new connections, the existing ones go on",
        "  undrain SERVICE REALSERVER     back to the configured weight",
        "  weight SERVICE REALSERVER N    weight N until undone (undrain) or the file says otherwise",
        "  drain|weight ... --persist     write the weight into the file instead (its comments and layout kept)",
        "  reload                         read the file again, as SIGHUP",
        "  role master|backup|fault       the director's VRRP role (keepalived's notify_master/backup/fault):",
        "                                 the syncDaemon block's daemons follow it; recorded for a serve",
        "                                 that is not running yet",
        "SERVICE is a name from the file or PROTO:ADDRESS:PORT (fwm:MARK); REALSERVER is ADDRESS:PORT",
        "([ADDRESS]:PORT for IPv6). Overrides survive reloads and restarts of serve, not a reboot."})
public final class CtlCommand extends PrintingCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    @Parameters(index = "0", paramLabel = "ACTION", description = "state, drain, undrain, weight, reload or role")
    String action;

    @Parameters(index = "1..*", paramLabel = "ARG", arity = "0..3", description = "SERVICE REALSERVER [N], or ROLE")
    java.util.List<String> args = new java.util.ArrayList<>();

    @Option(names = "--api-socket", paramLabel = "PATH", description = "serve's API socket (default: the namespace's, "
            + "/run/jipvs/api-COOKIE.sock).")
    Path apiSocket;

    @Option(names = "--persist", description = "drain and weight: write the weight into serve's file (YAML or JSON)"
            + " and put it in force, rather than hold it as a runtime override.")
    boolean persist;

    @Option(names = "--netns", paramLabel = "NAME", description = "The serve of this network namespace (/run/netns/NAME, or a path).")
    String netns;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/run/jipvs",
            description = "role: serve's state directory, where the role is recorded (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    /** role's argument, once {@link #request} has read it. */
    private DirectorRole role;

    @Override
    protected int execute(PrintWriter out, PrintWriter err) {
        FullHttpRequest request = request(err);
        if (request == null) {
            return USAGE;
        }
        Path socket;
        try {
            socket = ServeCommand.apiSocket(apiSocket, netns);
        } catch (RuntimeException e) {
            err.println(name() + ": cannot find serve's socket: " + e.getMessage());
            return FAILED;
        }
        if (action.equals("role")) {
            // Recorded before serve is looked for: keepalived reports a role once, maybe while
            // serve is still starting, which takes the record once its socket listens.
            try {
                if (netns == null) {
                    Supervisor.recordRole(stateDir, role);
                } else {
                    NetworkNamespace.callIn(NetnsOption.path(netns), () -> {
                        Supervisor.recordRole(stateDir, role);
                        return null;
                    });
                }
            } catch (RuntimeException e) {
                err.println(name() + ": cannot record the role in " + stateDir + ": " + e.getMessage());
                return FAILED;
            }
            if (!Files.exists(socket)) {
                out.println(role.word() + " recorded: serve is not running here, and takes it when it starts");
                return OK;
            }
        }
        if (!Files.exists(socket)) {
            err.println(name() + ": no jipvs serve API socket at " + socket + " (is serve running?)");
            return FAILED;
        }
        FullHttpResponse response;
        try {
            response = ApiClient.exchange(UnixDomainSocketAddress.of(socket), request);
        } catch (IOException e) {
            err.println(name() + ": " + socket + ": " + e.getMessage());
            return FAILED;
        }
        try {
            String body = response.content().toString(StandardCharsets.UTF_8);
            JsonNode json = body.isBlank() ? null : StateDocument.JSON.readTree(body);
            if (response.status().code() != 200) {
                err.println(name() + ": " + (json != null && json.has("error") ? json.get("error").asText()
                        : response.status().toString()));
                return FAILED;
            }
            if (action.equals("state")) {
                out.println(StateDocument.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
            } else {
                out.println(json.path("done").asText(action));
            }
            return OK;
        } catch (IOException e) {
            err.println(name() + ": not a JSON answer: " + e.getMessage());
            return FAILED;
        } finally {
            response.release();
        }
    }

    private FullHttpRequest request(PrintWriter err) {
        int expected;
        String path;
        HttpMethod method = HttpMethod.POST;
        ByteBuf body = Unpooled.EMPTY_BUFFER;
        switch (action) {
            case "state" -> {
                expected = 0;
                method = HttpMethod.GET;
                path = Routes.API + "state";
            }
            case "reload" -> {
                expected = 0;
                path = Routes.API + "reload";
            }
            case "role" -> {
                expected = 1;
                path = Routes.API + "role";
            }
            case "drain", "undrain" -> {
                expected = 2;
                path = null;
            }
            case "weight" -> {
                expected = 3;
                path = null;
            }
            default -> {
                err.println(name() + ": unknown action " + action + " (state, drain, undrain, weight, reload, role)");
                return null;
            }
        }
        if (args.size() != expected) {
            err.println(name() + ": " + action + " takes " + (expected == 0 ? "no arguments"
                    : expected == 1 ? "master, backup or fault"
                    : expected == 2 ? "SERVICE REALSERVER" : "SERVICE REALSERVER N"));
            return null;
        }
        if (persist && !action.equals("drain") && !action.equals("weight")) {
            err.println(name() + ": --persist goes with drain or weight"
                    + (action.equals("undrain") ? " (undrain goes back to the file's weight: nothing to write)" : ""));
            return null;
        }
        if (path == null) {
            path = Routes.API + "services/" + encode(args.get(0)) + "/real-servers/" + encode(args.get(1)) + "/" + action
                    + (persist ? "?persist=true" : "");
        }
        if (action.equals("role")) {
            try {
                role = DirectorRole.of(args.get(0));
            } catch (IllegalArgumentException e) {
                err.println(name() + ": " + e.getMessage());
                return null;
            }
            body = Unpooled.copiedBuffer("{\"role\":\"" + role.word() + "\"}", StandardCharsets.UTF_8);
        }
        if (action.equals("weight")) {
            int n;
            try {
                n = Integer.parseInt(args.get(2));
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || n > 65535) {
                err.println(name() + ": the weight must be 0..65535, not " + args.get(2));
                return null;
            }
            body = Unpooled.copiedBuffer("{\"weight\":" + n + "}", StandardCharsets.UTF_8);
        }
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path, body);
        r.headers().set(HttpHeaderNames.HOST, "localhost");
        r.headers().set(HttpHeaderNames.CONNECTION, "close");
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        HttpUtil.setContentLength(r, body.readableBytes());
        return r;
    }

    private static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package io.jipvs.packaging;

import io.jipvs.cli.JipvsCommand;
import io.jipvs.cli.ipvsadm.Switch;
import io.jipvs.cli.ipvsadm.Usage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build time: writes the AsciiDoc sources of the man pages ({@code man/jipvs.8.adoc} and one
 * {@code man/jipvs-SUBCOMMAND.8.adoc} per subcommand, rendered to troff by asciidoctor in
 * {@code man.sh}) and the bash completion script ({@code completion/jipvs}), all from the cli's
 * Picocli model, so that what they say cannot drift from what the commands take.
 *
 * <p>{@code Generate TARGET_DIR}
 */
public final class Generate {
    /** Administration commands: jipvs(8), as ipvsadm(8). */
    static final String SECTION = "8";

    /** Completion candidates for ipvsadm options whose values are a fixed set. */
    static final Map<Switch, List<String>> CANDIDATES = Map.of(
            Switch.SCHEDULER, List.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf",
                    "mh", "twos"),
            Switch.TUN_TYPE, java.util.Arrays.stream(io.jipvs.model.TunnelType.values())
                    .map(t -> t.name().toLowerCase(java.util.Locale.ROOT)).toList(),
            Switch.START_DAEMON, List.of("master", "backup"),
            Switch.STOP_DAEMON, List.of("master", "backup"),
            Switch.PE, List.of("sip"),
            Switch.SCHED_FLAGS, List.of("flag-1", "flag-2", "flag-3", "sh-fallback", "sh-port", "mh-fallback",
                    "mh-port"));

    private Generate() {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        Path man = Files.createDirectories(target.resolve("man"));
        for (Map.Entry<String, String> page : manPages().entrySet()) {
            Files.writeString(man.resolve(page.getKey() + "." + SECTION + ".adoc"), page.getValue(),
                    StandardCharsets.UTF_8);
        }
        Path completion = Files.createDirectories(target.resolve("completion"));
        Files.writeString(completion.resolve("jipvs"), completion(), StandardCharsets.UTF_8);
    }

    /** Page name (jipvs, jipvs-serve, ...) to its AsciiDoc source. */
    static Map<String, String> manPages() {
        CommandLine cl = JipvsCommand.commandLine();
        CommandSpec root = cl.getCommandSpec();
        root.versionProvider(cl.getSubcommands().values().iterator().next().getCommandSpec().versionProvider());
        root.usageMessage()
                .header("IPVS load balancer control plane with ipvsadm's command line")
                .customSynopsis("*jipvs* _ipvsadm-command-line_", "", "*jipvs* _SUBCOMMAND_ [_OPTION_...]")
                .description(rootDescription());
        Map<String, String> pages = new java.util.LinkedHashMap<>();
        pages.put("jipvs", page(root, rootSections(cl)));
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            pages.put("jipvs-" + e.getKey(), page(e.getValue().getCommandSpec(),
                    List.of("== See also", "", "*jipvs*(" + SECTION + "), *jipvs.yaml*(5)")));
        }
        return pages;
    }

    private static String[] rootDescription() {
        List<String> lines = new ArrayList<>(List.of(
                "Without a subcommand, *jipvs* takes *ipvsadm*(8)'s command line and answers byte for byte as"
                        + " ipvsadm 1.31 does: the same output, the same messages and the same exit status, so that"
                        + " scripts and habits carry over. Invoked as *ipvsadm* (a symlink), even *-v* says what"
                        + " ipvsadm says.",
                "",
                "With a subcommand it does what ipvsadm cannot: desired state from a file (*apply*, *diff*,"
                        + " *export*, *convert*), health checks and repair (*serve*, *ctl*), metrics, and the"
                        + " preparation of real servers and directors. *jipvs help* lists everything in one place.",
                "",
                "ipvsadm's syntax:",
                ""));
        String usage = Usage.help("jipvs");
        // The usage without its version line, as one literal block, kept as printed.
        lines.add("....");
        lines.addAll(List.of(usage.substring(usage.indexOf('\n') + 1).split("\n")));
        lines.add("....");
        return lines.toArray(String[]::new);
    }

    private static List<String> rootSections(CommandLine cl) {
        List<String> lines = new ArrayList<>(List.of(
                "== Environment",
                "",
                "*JIPVS_DAEMON*=off::",
                "  Never hand the command to a resident daemon or *serve*: start a JVM for it.",
                "",
                "*JIPVS_JAVA_OPTS*::",
                "  Extra JVM options for the resident commands (*daemon*, *serve*).",
                "",
                "== Files",
                "",
                "_/etc/jipvs/jipvs.yaml_::",
                "  The desired state *jipvs.service* (*jipvs serve*) keeps true; see *jipvs.yaml*(5).",
                "",
                "_/etc/jipvs/rules_::",
                "  The table *jipvs-rules.service* restores at boot (*ipvsadm -S* format).",
                "",
                "_/etc/default/jipvs_::",
                "  *SAVE_ON_STOP=yes* saves the table to _/etc/jipvs/rules_ when *jipvs-rules.service* stops.",
                "",
                "_/run/jipvs/_::",
                "  Root-only sockets (the command daemon's, serve's API) and the record of what jipvs created.",
                "",
                "== See also",
                ""));
        StringBuilder see = new StringBuilder("*jipvs.yaml*(5)");
        for (String name : cl.getSubcommands().keySet()) {
            see.append(", *jipvs-").append(name).append("*(").append(SECTION).append(')');
        }
        see.append(", *ipvsadm*(8), *keepalived*(8), *systemd.socket*(5)");
        lines.add(see.toString());
        return lines;
    }

    /**
     * One page from the model, in section 8, with links as man(7) references rather than web links,
     * the description's lines kept as --help prints them, and {@code sections} (AsciiDoc) at its end.
     */
    private static String page(CommandSpec spec, List<String> sections) {
        StringWriter text = new StringWriter();
        try (PrintWriter w = new PrintWriter(text)) {
            ManPageGenerator.writeSingleManPage(w, spec);
        }
        String end = "// end::picocli-generated-full-manpage[]";
        String adoc = text.toString()
                .replaceFirst("(?m)^= (\\S+)\\(1\\)$", "= $1(" + SECTION + ")")
                .replace(":manmanual: Jipvs Manual", ":manmanual: jipvs")
                .replace(end, String.join("\n", sections) + "\n\n" + end);
        if (spec.usageMessage().description().length > 1 && spec.usageMessage().customSynopsis().length == 0) {
            // Several lines are several lines in --help (a table in ctl's): so they stay in the page.
            adoc = adoc.replace("== Description\n\n", "== Description\n\n[%hardbreaks]\n");
        }
        Matcher xref = Pattern.compile("xref:(jipvs-[a-z-]+)\\.adoc\\[\\*([a-z-]+)\\*\\]").matcher(adoc);
        return xref.replaceAll(m -> Matcher.quoteReplacement("*" + m.group(2) + "* (*" + m.group(1) + "*(" + SECTION
                + "))"));
    }

    /** The bash completion: every subcommand with its options, and ipvsadm's options on the top level. */
    static String completion() {
        CommandLine cl = JipvsCommand.commandLine();
        CommandSpec root = cl.getCommandSpec();
        for (Switch s : Switch.values()) {
            List<String> names = new ArrayList<>();
            if (s.longName() != null) {
                names.add("--" + s.longName());
            }
            if (s.shortName() != '\0') {
                names.add("-" + s.shortName());
            }
            // The label names the script's variable of candidates: one per option.
            OptionSpec.Builder option = OptionSpec.builder(names.toArray(String[]::new)).paramLabel(s.name());
            switch (s.arg()) {
                case NONE -> option.arity("0").type(boolean.class);
                case REQUIRED -> option.arity("1").type(String.class);
                case OPTIONAL -> option.arity("0..1").type(String.class);
            }
            List<String> candidates = CANDIDATES.get(s);
            if (candidates != null) {
                option.completionCandidates(candidates);
            }
            root.addOption(option.build());
        }
        return AutoComplete.bash("jipvs", cl);
    }
}

package dev.topoc.cli;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.print.DslPrinter;
import dev.topoc.compiler.print.YamlPrinter;
import dev.topoc.compiler.syntax.SourceFile;
import dev.topoc.live.read.AstWriter;
import dev.topoc.live.read.Canonical;
import dev.topoc.live.read.LiveReader;
import dev.topoc.live.read.LiveState;
import dev.topoc.live.read.NamespaceDump;
import dev.topoc.live.read.Unexpressed;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "import", sortOptions = false, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Write a topology file from live network namespaces, including ones built by hand with `ip`.",
            "Each namespace becomes a node (with --prefix P, the namespace name without P); veth pairs between the read "
                + "namespaces become links; bridges and their ports, macvlan/ipvlan/vlan/vxlan, addresses, routes of every "
                + "table, policy rules, forwarding, and the nftables rules of topoc's table and of iptables-nft become the "
                + "language's statements. What the language cannot express is named in a warning on standard error, "
                + "never dropped silently. The file written validates and resolves to exactly what was read. Needs root."},
        footer = {"", "Exit codes: 0 written (warnings allowed), 2 usage error, 4 a namespace could not be read or written.",
            "Examples:", "  topoc import --prefix lab1- -o lab.topo",
            "  topoc import --netns ns1 --netns ns2 --to yaml", ""})
final class ImportCommand implements Callable<Integer> {
    enum Target { dsl, yaml }

    @Spec
    CommandSpec spec;

    @Option(names = "--prefix", paramLabel = "P",
            description = "Read every namespace whose name starts with P; nodes are named without P.")
    String prefix;

    @Option(names = "--netns", paramLabel = "NS", arity = "1..*",
            description = "Read these namespaces (nodes named after them). Without --prefix or --netns: every namespace.")
    List<String> netns;

    @Option(names = "--sandbox", description = "Accepted for symmetry with the other live commands: import only reads.")
    boolean sandbox;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The topology's name (default: the prefix without its trailing '-', else `imported`).")
    String name;

    @Option(names = "--to", paramLabel = "SPELLING",
            description = "Spelling: ${COMPLETION-CANDIDATES} (default: yaml when -o ends in .yaml/.yml, else dsl).")
    Target to;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (prefix != null && netns != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --prefix or --netns, not both");
        }
        Map<String, String> nodes = nodes();
        if (nodes.isEmpty()) {
            throw new Main.CliFailure(prefix != null ? "no namespace under /run/netns starts with '" + prefix + "'"
                    : "no namespace to read under /run/netns");
        }
        LiveState state;
        try {
            state = LiveReader.read(topologyName(), nodes, true);
        } catch (NamespaceDump.ReadException e) {
            throw new Main.CliFailure(e.getMessage());
        }
        for (Unexpressed u : state.unexpressed()) {
            err.println("topoc: warning: not imported: " + u);
        }
        Syntax syntax = to == null ? (output != null && Syntax.ofPath(output.toString()) == Syntax.YAML ? Syntax.YAML
                : Syntax.DSL) : to == Target.yaml ? Syntax.YAML : Syntax.DSL;
        TopologyAst ast = AstWriter.write(state.topology(), syntax);
        String text = syntax == Syntax.YAML ? YamlPrinter.print(ast) : DslPrinter.print(ast);
        selfCheck(text, syntax, state);
        if (output == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        } else {
            ConvertCommand.write(output, text);
        }
        err.flush();
        return Main.OK;
    }

    /** The written file must validate and resolve to what was read: anything else is a bug of topoc, said so. */
    private static void selfCheck(String text, Syntax syntax, LiveState state) {
        Compilation c = Compiler.compile(new SourceFile(syntax == Syntax.YAML ? "imported.yaml" : "imported.topo", text));
        if (!c.ok()) {
            throw new Main.CliFailure("internal error: the imported file does not validate: "
                    + c.diagnostics().all().get(0).message());
        }
        if (!Canonical.of(c.model()).equals(state.topology())) {
            throw new Main.CliFailure("internal error: the imported file does not resolve to what was read");
        }
    }

    private String topologyName() {
        if (name != null) {
            return name;
        }
        if (prefix != null) {
            String n = prefix.replaceAll("[-_.]+$", "");
            if (n.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
                return n;
            }
        }
        return "imported";
    }

    /** node name → namespace, in name order. */
    private Map<String, String> nodes() {
        Map<String, String> nodes = new LinkedHashMap<>();
        List<String> all = LiveReader.namespacesWithPrefix("");
        if (netns != null) {
            for (String ns : netns) {
                if (!all.contains(ns)) {
                    throw new Main.CliFailure("no namespace '" + ns + "' under /run/netns");
                }
                nodes.put(nodeName(ns, ns), ns);
            }
            return nodes;
        }
        String p = prefix == null ? "" : prefix;
        for (String ns : all) {
            if (ns.startsWith(p) && ns.length() > p.length()) {
                nodes.put(nodeName(ns.substring(p.length()), ns), ns);
            }
        }
        return nodes;
    }

    private static String nodeName(String candidate, String ns) {
        if (!candidate.matches("[A-Za-z][A-Za-z0-9_.-]{0,31}")) {
            throw new Main.CliFailure("namespace '" + ns + "' gives the node name '" + candidate
                    + "', which is not a valid node name ([A-Za-z][A-Za-z0-9_.-]*, at most 32): choose another --prefix or --netns");
        }
        return candidate;
    }
}

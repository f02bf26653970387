package dev.topoc.compiler.print;

import dev.topoc.compiler.ast.ChainAst;
import dev.topoc.compiler.ast.ExpectAst;
import dev.topoc.compiler.ast.FwRuleAst;
import dev.topoc.compiler.ast.IfaceAst;
import dev.topoc.compiler.ast.Keys;
import dev.topoc.compiler.ast.LinkAst;
import dev.topoc.compiler.ast.MachineAst;
import dev.topoc.compiler.ast.Lit;
import dev.topoc.compiler.ast.NatAst;
import dev.topoc.compiler.ast.NodeAst;
import dev.topoc.compiler.ast.Prop;
import dev.topoc.compiler.ast.RouteAst;
import dev.topoc.compiler.ast.RuleAst;
import dev.topoc.compiler.ast.TopologyAst;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Prints a topology AST as DSL text in the canonical layout of docs/language.md: what {@code topoc fmt}
 * writes and {@code topoc convert --to dsl} produces.
 *
 * <p>The AST is first turned into a tree of {@link Stmt}s (one printed line each, optionally with a
 * block), then rendered with the comments {@link CommentPlacement} assigned to them. Every prop is
 * printed back with the DSL word that produces it, so that parsing the output yields an equal AST; a
 * value is quoted only when it is not a plain DSL word. Props of one-line statements and interface
 * blocks are printed in the canonical key order of {@link Keys}; node statements keep their groups.
 */
public final class DslPrinter {
    private static final String INDENT = "  ";
    private static final Set<String> ROUTE_TYPE_WORDS = Set.of("blackhole", "unreachable", "prohibit");
    private static final Set<String> BARE_PROTOS = Set.of("tcp", "udp");
    private static final Map<String, String> RULE_WORDS = Map.of("table", "lookup");
    private static final Map<String, String> FWRULE_WORDS = Map.of("iif", "in", "oif", "out");
    private static final Map<String, String> IFACE_WORDS = Map.of("addresses", "address");

    private enum Block {
        /** no block */
        NONE,
        /** braces always, one statement per line ({@code node}) */
        ALWAYS,
        /** braces only around statements; a single statement stays on the header line */
        COMPACT
    }

    /** One printed statement: its owner in the AST (for comments), its header text and its block. */
    private record Stmt(Object owner, String head, Block style, List<Stmt> body) {
        static Stmt leaf(Object owner, String head) {
            return new Stmt(owner, head, Block.NONE, List.of());
        }
    }

    private final CommentPlacement comments;
    private final StringBuilder out = new StringBuilder();

    private DslPrinter(CommentPlacement comments) {
        this.comments = comments;
    }

    public static String print(TopologyAst written) {
        TopologyAst ast = Canonical.of(written);
        DslPrinter printer = new DslPrinter(CommentPlacement.of(ast));
        return printer.render(sections(ast));
    }

    // ---- layout --------------------------------------------------------------------------------

    /** Top-level groups, separated by one blank line: the topology statement, the machines, each node, the links, the expects. */
    private static List<List<Stmt>> sections(TopologyAst ast) {
        List<List<Stmt>> sections = new ArrayList<>();
        if (ast.name() != null) {
            sections.add(List.of(Stmt.leaf(ast, "topology " + word(ast.name()))));
        }
        if (!ast.machines().isEmpty()) {
            sections.add(ast.machines().stream().map(DslPrinter::machine).toList());
        }
        ast.nodes().forEach(n -> sections.add(List.of(node(n))));
        if (!ast.links().isEmpty()) {
            sections.add(ast.links().stream().map(DslPrinter::link).toList());
        }
        if (!ast.expects().isEmpty()) {
            sections.add(ast.expects().stream().map(DslPrinter::expect).toList());
        }
        return sections;
    }

    private static Stmt node(NodeAst node) {
        StringBuilder head = new StringBuilder("node ").append(word(node.name()));
        Prop kind = DslForms.nodeKind(node);
        if (kind != null) {
            head.append(' ').append(word(kind.value()));
        }
        List<Stmt> body = new ArrayList<>();
        DslForms.nodeStatements(node).forEach(p -> body.add(Stmt.leaf(p, pair(word(p.name()), p))));
        node.interfaces().forEach(i -> body.add(iface(i)));
        node.routes().forEach(r -> body.add(Stmt.leaf(r, route(r))));
        node.rules().forEach(r -> body.add(Stmt.leaf(r, rule(r))));
        node.nat().forEach(n -> body.add(Stmt.leaf(n, nat(n))));
        node.firewall().forEach(c -> body.add(chain(c)));
        DslForms.nodeTrailingStatements(node).forEach(p -> body.add(Stmt.leaf(p, p.name().equals("listen")
                ? listen(p) : pair(word(p.name()), p))));
        return new Stmt(node, head.toString(), Block.ALWAYS, body);
    }

    private static Stmt iface(IfaceAst iface) {
        DslForms.IfaceForm form = DslForms.iface(iface);
        StringBuilder head = new StringBuilder(form.word());
        if (!form.word().equals("lo")) {
            head.append(' ').append(word(iface.name()));
        }
        if (form.kindWord() != null) {
            head.append(' ').append(word(form.kindWord()));
        }
        form.header().forEach(p -> head.append(' ').append(pair(p.name(), p)));
        List<Stmt> body = form.block().stream()
                .map(p -> Stmt.leaf(p, pair(IFACE_WORDS.getOrDefault(p.name(), p.name()), p)))
                .toList();
        return new Stmt(iface, head.toString(), Block.COMPACT, body);
    }

    private static String route(RouteAst route) {
        Words words = new Words("route");
        List<Prop> props = new ArrayList<>(Order.canonical(Keys.Context.ROUTE, route.props()));
        Prop type = DslForms.first(props, "type");
        if (type != null && type.values().size() == 1 && ROUTE_TYPE_WORDS.contains(type.value().text())) {
            words.add(type.value().text());
            props.remove(type);
        }
        Prop to = DslForms.first(props, "to");
        if (to != null && to.values().size() == 1) {
            words.add(word(to.value()));
            props.remove(to);
        }
        props.forEach(p -> words.add(pair(p.name(), p)));
        return words.toString();
    }

    private static String rule(RuleAst rule) {
        Words words = new Words("rule");
        Order.canonical(Keys.Context.RULE, rule.props())
                .forEach(p -> words.add(pair(RULE_WORDS.getOrDefault(p.name(), p.name()), p)));
        return words.toString();
    }

    private static String nat(NatAst nat) {
        Words words = new Words("nat");
        List<Prop> props = new ArrayList<>(Order.canonical(Keys.Context.NAT, nat.props()));
        Prop type = DslForms.first(props, "type");
        if (type != null && type.values().size() == 1) {
            words.add(word(type.value()));
            props.remove(type);
        }
        for (Prop p : props) {
            boolean bareProto = p.name().equals("proto") && p.values().size() == 1
                    && BARE_PROTOS.contains(p.value().text());
            words.add(bareProto ? p.value().text() : pair(p.name(), p));
        }
        return words.toString();
    }

    private static Stmt chain(ChainAst chain) {
        Words head = new Words("firewall");
        head.add(word(chain.name()));
        Order.canonical(Keys.Context.CHAIN, chain.props()).forEach(p -> head.add(pair(p.name(), p)));
        List<Stmt> body = chain.rules().stream().map(r -> Stmt.leaf(r, fwRule(r))).toList();
        return new Stmt(chain, head.toString(), Block.COMPACT, body);
    }

    private static String fwRule(FwRuleAst rule) {
        List<Prop> props = new ArrayList<>(Order.canonical(Keys.Context.FWRULE, rule.props()));
        Words words = new Words();
        Prop action = DslForms.first(props, "action");
        if (action != null && action.values().size() == 1) {
            words.add(word(action.value()));
            props.remove(action);
        }
        for (Prop p : props) {
            String key = FWRULE_WORDS.getOrDefault(p.name(), p.name());
            if (p.name().equals("state")) {
                StringJoiner states = new StringJoiner(",");
                p.values().forEach(v -> states.add(v.text()));
                words.add(key + " " + word(states.toString()));
            } else {
                words.add(pair(key, p));
            }
        }
        return words.toString();
    }

    private static Stmt machine(MachineAst machine) {
        String head = "machine " + word(machine.name());
        List<Stmt> body = Order.canonical(Keys.Context.MACHINE, machine.props()).stream()
                .map(p -> Stmt.leaf(p, pair(p.name(), p)))
                .toList();
        return new Stmt(machine, head, Block.COMPACT, body);
    }

    private static Stmt link(LinkAst link) {
        String head = "link " + word(link.a()) + " -- " + word(link.b());
        List<Stmt> body = Order.canonical(Keys.Context.LINK, link.props()).stream()
                .map(p -> Stmt.leaf(p, pair(p.name(), p)))
                .toList();
        return new Stmt(link, head, Block.COMPACT, body);
    }

    private static Stmt expect(ExpectAst expect) {
        List<Prop> props = new ArrayList<>(Order.canonical(Keys.Context.EXPECT, expect.props()));
        Words words = new Words("expect");
        words.add(word(take(props, "from")));
        words.add("->");
        words.add(word(take(props, "to")));
        Lit proto = take(props, "proto");
        if (proto != null) {
            words.add(word(proto));
        } else if (DslForms.first(props, "size") != null || DslForms.first(props, "df") != null) {
            words.add("icmp"); // `size` and `df` follow the protocol word
        }
        for (Prop p : props) {
            if (p.name().equals("port") && proto != null && p.values().size() == 1) {
                words.add(word(p.value()));
            } else if (p.name().equals("df") && p.values().size() == 1) {
                if (!isFalse(p.value())) {
                    words.add("df");
                }
            } else if (p.name().equals("reach")) {
                words.add(isFalse(p.value()) ? "noreach" : "reach");
            } else {
                words.add(pair(p.name(), p));
            }
        }
        return Stmt.leaf(expect, words.toString());
    }

    /** Removes and returns the single value of the first prop with this key, if there is one. */
    private static Lit take(List<Prop> props, String key) {
        Prop p = DslForms.first(props, key);
        if (p == null || p.values().size() != 1) {
            return null;
        }
        props.remove(p);
        return p.value();
    }

    private static final Set<String> BARE_FLAGS = Set.of("forwarding", "stp", "hairpin", "up");

    private static boolean isTrue(Lit value) {
        return value != null && Set.of("true", "yes", "on").contains(value.text().toLowerCase(java.util.Locale.ROOT));
    }

    private static boolean isFalse(Lit value) {
        return value != null && Set.of("false", "no", "off").contains(value.text().toLowerCase(java.util.Locale.ROOT));
    }

    /** {@code listen tcp 80}, {@code listen udp 53 on 10.0.0.10}: the address is the third value. */
    private static String listen(Prop p) {
        Words words = new Words("listen");
        for (int i = 0; i < p.values().size(); i++) {
            if (i == 2) {
                words.add("on");
            }
            words.add(word(p.values().get(i)));
        }
        return words.toString();
    }

    /** {@code key v1 v2 …}; a flag without a value, or set to true, is the bare key. */
    private static String pair(String key, Prop p) {
        Words words = new Words(key);
        if (BARE_FLAGS.contains(key) && p.values().size() == 1 && isTrue(p.value())) {
            return words.toString();
        }
        p.values().forEach(v -> words.add(word(v)));
        return words.toString();
    }

    // ---- words ---------------------------------------------------------------------------------

    private static String word(Lit lit) {
        return lit == null ? "\"\"" : word(lit.text());
    }

    /** The value as a DSL word, in double quotes when it is not a plain word. */
    public static String word(String text) {
        return isPlainWord(text) ? text : quote(text);
    }

    /** A run of characters other than whitespace, braces, quotes and comment markers, that is not an operator. */
    public static boolean isPlainWord(String text) {
        if (text.isEmpty() || text.equals("--") || text.equals("->") || text.contains("//")) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '{' || c == '}' || c == '"' || c == '#') {
                return false;
            }
        }
        return true;
    }

    static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static final class Words {
        private final StringJoiner joiner = new StringJoiner(" ");

        Words(String... first) {
            for (String w : first) {
                joiner.add(w);
            }
        }

        void add(String w) {
            joiner.add(w);
        }

        @Override
        public String toString() {
            return joiner.toString();
        }
    }

    // ---- rendering -----------------------------------------------------------------------------

    private String render(List<List<Stmt>> sections) {
        boolean first = true;
        if (!comments.header().isEmpty()) {
            comments.header().forEach(c -> line(0, c));
            first = false;
        }
        for (List<Stmt> section : sections) {
            if (!first) {
                out.append('\n');
            }
            first = false;
            section.forEach(s -> render(s, 0));
        }
        if (!comments.endOfFile().isEmpty()) {
            if (!first) {
                out.append('\n');
            }
            comments.endOfFile().forEach(c -> line(0, c));
        }
        return out.toString();
    }

    private void render(Stmt s, int depth) {
        comments.leading(s.owner()).forEach(c -> line(depth, c));
        String trailing = comments.trailing(s.owner()).stream().map(c -> " " + c).reduce("", String::concat);
        List<String> end = comments.end(s.owner());
        if (s.body().isEmpty() && end.isEmpty()) {
            line(depth, s.head() + (s.style() == Block.ALWAYS ? " { }" : "") + trailing);
        } else if (fitsOneLine(s, end)) {
            line(depth, s.head() + " { " + s.body().get(0).head() + " }" + trailing);
        } else {
            line(depth, s.head() + " {" + trailing);
            s.body().forEach(child -> render(child, depth + 1));
            end.forEach(c -> line(depth + 1, c));
            line(depth, "}");
        }
    }

    private boolean fitsOneLine(Stmt s, List<String> end) {
        if (s.style() != Block.COMPACT || s.body().size() != 1 || !end.isEmpty()) {
            return false;
        }
        Stmt only = s.body().get(0);
        return only.body().isEmpty() && !comments.hasAny(only.owner());
    }

    private void line(int depth, String text) {
        out.append(INDENT.repeat(depth)).append(text).append('\n');
    }
}

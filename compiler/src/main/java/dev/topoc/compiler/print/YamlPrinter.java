package dev.topoc.compiler.print;

import dev.topoc.compiler.ast.ChainAst;
import dev.topoc.compiler.ast.Entry;
import dev.topoc.compiler.ast.IfaceAst;
import dev.topoc.compiler.ast.Keys;
import dev.topoc.compiler.ast.LinkAst;
import dev.topoc.compiler.ast.MachineAst;
import dev.topoc.compiler.ast.Lit;
import dev.topoc.compiler.ast.NodeAst;
import dev.topoc.compiler.ast.Prop;
import dev.topoc.compiler.ast.TopologyAst;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Prints a topology AST as canonical YAML in the style of LANGUAGE.md §2: what
 * {@code topoc convert --to yaml} writes and {@code topoc fmt} writes for YAML files.
 *
 * <p>Nodes, firewall chains and sysctl are block maps; interfaces are one-line flow maps
 * ({@code eth0: { kind: physical, addresses: [10.0.0.1/24] }}), routes, rules, nat, firewall rules and
 * expects flow-map items, links {@code - [a, b]} or a flow map when they have props. Anything longer than
 * {@link #WIDTH} columns falls back to block style. Keys follow {@link Keys}; repeated list keys (two
 * {@code address} statements) merge into one list.
 *
 * <p>A scalar is printed plain only when it matches a conservative pattern and SnakeYAML resolves it to
 * a string; decimal integers and, for flag keys, {@code true}/{@code false} print plain too (they read
 * back with the same text). Anything else is double-quoted, so every value loads back as the text in
 * the AST. Comments are carried over as {@code #} comments next to the line of the item they were
 * attached to ({@code //} becomes {@code #}); comments inside an interface, link or rule that YAML
 * prints as one flow line go on their own lines before it.
 */
public final class YamlPrinter {
    static final int WIDTH = 100;
    private static final String INDENT = "  ";
    /** Words, addresses and {@code node:if} endpoints; a colon only before a letter (no {@code ip:port}, MAC, IPv6). */
    private static final Pattern PLAIN =
            Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./+-]*(?::[A-Za-z][A-Za-z0-9_./+-]*)*");
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]*");
    private static final Resolver RESOLVER = new Resolver();

    private final CommentPlacement comments;
    private final StringBuilder out = new StringBuilder();
    private final Map<Object, Boolean> leadingDone = new IdentityHashMap<>();
    private final Map<Object, Boolean> trailingDone = new IdentityHashMap<>();

    private YamlPrinter(CommentPlacement comments) {
        this.comments = comments;
    }

    public static String print(TopologyAst written) {
        TopologyAst ast = Canonical.of(written);
        YamlPrinter printer = new YamlPrinter(CommentPlacement.of(ast));
        printer.topology(ast);
        return printer.out.toString();
    }

    // ---- structure -----------------------------------------------------------------------------

    private void topology(TopologyAst ast) {
        if (!comments.header().isEmpty()) {
            comments.header().forEach(c -> comment(0, c));
            out.append('\n');
        }
        if (ast.name() != null) {
            line(0, ast, "topology: " + scalar(ast.name().text(), false));
        }
        if (!ast.machines().isEmpty()) {
            line(0, null, "machines:");
            ast.machines().forEach(m -> machine(m, 1));
        }
        if (!ast.nodes().isEmpty()) {
            line(0, null, "nodes:");
            ast.nodes().forEach(n -> node(n, 1));
        } else if (ast.name() == null && ast.machines().isEmpty() && ast.links().isEmpty() && ast.expects().isEmpty()) {
            // an empty DSL file is a valid empty topology; an empty YAML file is refused, so say it (issue 18, item 14)
            line(0, null, "nodes: {}");
        }
        if (!ast.links().isEmpty()) {
            line(0, null, "links:");
            ast.links().forEach(this::link);
        }
        if (!ast.expects().isEmpty()) {
            line(0, null, "expect:");
            ast.expects().forEach(e -> item(1, e, Keys.Context.EXPECT));
        }
        comments.endOfFile().forEach(c -> comment(0, c));
    }

    private void node(NodeAst node, int depth) {
        List<Prop> props = Order.canonical(Keys.Context.NODE, node.props());
        boolean empty = props.isEmpty() && node.interfaces().isEmpty() && node.routes().isEmpty()
                && node.rules().isEmpty() && node.nat().isEmpty() && node.firewall().isEmpty();
        line(depth, node, key(node.name()) + ":" + (empty ? " {}" : ""));
        int nested = Keys.order(Keys.Context.NODE, "interfaces");
        props.stream().filter(p -> Keys.order(Keys.Context.NODE, p.name()) < nested)
                .forEach(p -> line(depth + 1, p, key(p.name()) + ": " + value(Keys.Context.NODE, p.name(), List.of(p))));
        if (!node.interfaces().isEmpty()) {
            line(depth + 1, null, "interfaces:");
            node.interfaces().forEach(i -> iface(i, depth + 2));
        }
        items(depth + 1, "routes", Keys.Context.ROUTE, node.routes());
        items(depth + 1, "rules", Keys.Context.RULE, node.rules());
        items(depth + 1, "nat", Keys.Context.NAT, node.nat());
        if (!node.firewall().isEmpty()) {
            line(depth + 1, null, "firewall:");
            node.firewall().forEach(c -> chain(c, depth + 2));
        }
        List<Prop> sysctl = props.stream().filter(p -> p.name().equals("sysctl")).toList();
        if (!sysctl.isEmpty()) {
            line(depth + 1, null, "sysctl:");
            for (Prop p : sysctl) {
                List<Lit> kv = p.values();
                String k = kv.isEmpty() ? "\"\"" : key(kv.get(0));
                String v = kv.size() < 2 ? "\"\"" : scalar(kv.get(1).text(), false);
                line(depth + 2, p, k + ": " + v);
            }
        }
        workloads(depth + 1, props);
        props.stream().filter(p -> Keys.order(Keys.Context.NODE, p.name()) > nested
                        && !Set.of("sysctl", "listen", "run").contains(p.name()))
                .forEach(p -> line(depth + 1, p, key(p.name()) + ": " + value(Keys.Context.NODE, p.name(), List.of(p))));
        comments.end(node).forEach(c -> comment(depth + 1, c));
    }

    /**
     * {@code listen:} and {@code run:} as block lists, one item per statement; a listen in its short
     * form {@code tcp/80} or {@code udp/53 on 10.0.0.10}, or as a map when its values do not fit it.
     */
    private void workloads(int depth, List<Prop> props) {
        List<Prop> listens = props.stream().filter(p -> p.name().equals("listen")).toList();
        if (!listens.isEmpty()) {
            line(depth, null, "listen:");
            listens.forEach(p -> line(depth + 1, p, "- " + listenItem(p.values())));
        }
        List<Prop> runs = props.stream().filter(p -> p.name().equals("run")).toList();
        if (!runs.isEmpty()) {
            line(depth, null, "run:");
            runs.forEach(p -> line(depth + 1, p, "- " + (p.values().isEmpty() ? "\"\"" : scalar(p.value().text(), false))));
        }
    }

    private String listenItem(List<Lit> values) {
        List<String> texts = values.stream().map(Lit::text).toList();
        boolean shortForm = texts.size() >= 2 && texts.size() <= 3
                && texts.stream().noneMatch(t -> t.isEmpty() || t.chars().anyMatch(Character::isWhitespace))
                && !texts.get(0).contains("/");
        if (shortForm) {
            String text = texts.get(0) + "/" + texts.get(1) + (texts.size() == 3 ? " on " + texts.get(2) : "");
            return scalar(text, false);
        }
        List<String> keys = List.of("proto", "port", "on");
        StringJoiner flow = new StringJoiner(", ", "{ ", " }");
        for (int i = 0; i < texts.size() && i < keys.size(); i++) {
            flow.add(keys.get(i) + ": " + scalar(texts.get(i), false));
        }
        return flow.toString();
    }

    private void machine(MachineAst machine, int depth) {
        commentsBefore(depth, machine, machine.props());
        mapping(depth, machine, key(machine.name()) + ":", entries(Keys.Context.MACHINE, machine.props()));
    }

    private void iface(IfaceAst iface, int depth) {
        commentsBefore(depth, iface, iface.props());
        mapping(depth, iface, key(iface.name()) + ":", entries(Keys.Context.IFACE, iface.props()));
    }

    private void chain(ChainAst chain, int depth) {
        List<Prop> props = Order.canonical(Keys.Context.CHAIN, chain.props());
        boolean empty = props.isEmpty() && chain.rules().isEmpty();
        line(depth, chain, key(chain.name()) + ":" + (empty ? " {}" : ""));
        entries(Keys.Context.CHAIN, props).forEach(e -> line(depth + 1, null, e.getKey() + ": " + e.getValue()));
        if (!chain.rules().isEmpty()) {
            line(depth + 1, null, "rules:");
            chain.rules().forEach(r -> item(depth + 2, r, Keys.Context.FWRULE));
        }
        comments.end(chain).forEach(c -> comment(depth + 1, c));
    }

    private void link(LinkAst link) {
        commentsBefore(1, link, link.props());
        String a = link.a() == null ? "\"\"" : scalar(link.a().text(), false);
        String b = link.b() == null ? "\"\"" : scalar(link.b().text(), false);
        if (link.props().isEmpty()) {
            line(1, link, "- [" + a + ", " + b + "]");
            return;
        }
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        entries.add(Map.entry("a", a));
        entries.add(Map.entry("b", b));
        entries.addAll(entries(Keys.Context.LINK, link.props()));
        mapping(1, link, "-", entries);
    }

    private void items(int depth, String key, Keys.Context context, List<? extends Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        line(depth, null, key + ":");
        entries.forEach(e -> item(depth + 1, e, context));
    }

    private void item(int depth, Entry entry, Keys.Context context) {
        mapping(depth, entry, "-", entries(context, entry.props()));
    }

    /**
     * Comments of an entry printed as one flow line, and of the props inside it, go on their own lines
     * before it; only the entry's trailing comments stay at the end of its line.
     */
    private void commentsBefore(int depth, Object owner, List<Prop> inner) {
        comments.leading(owner).forEach(c -> comment(depth, c));
        leadingDone.put(owner, Boolean.TRUE);
        if (!comments.end(owner).isEmpty()
                || inner.stream().anyMatch(p -> !comments.leading(p).isEmpty() || !comments.trailing(p).isEmpty())) {
            // the entry's own line comment goes first, so that every comment keeps its order
            comments.trailing(owner).forEach(c -> comment(depth, c));
            trailingDone.put(owner, Boolean.TRUE);
        }
        for (Prop p : inner) {
            comments.leading(p).forEach(c -> comment(depth, c));
            comments.trailing(p).forEach(c -> comment(depth, c));
        }
        comments.end(owner).forEach(c -> comment(depth, c));
    }

    /** {@code head { k: v, … }} on one line when it fits, else a block map under {@code head}. */
    private void mapping(int depth, Object owner, String head, List<Map.Entry<String, String>> entries) {
        StringJoiner flow = new StringJoiner(", ", "{ ", " }").setEmptyValue("{}");
        entries.forEach(e -> flow.add(e.getKey() + ": " + e.getValue()));
        String oneLine = head + " " + flow;
        if (INDENT.length() * depth + oneLine.length() <= WIDTH || entries.isEmpty()) {
            line(depth, owner, oneLine);
            return;
        }
        boolean item = head.equals("-");
        boolean firstEntry = true;
        if (!item) {
            line(depth, owner, head);
        }
        for (Map.Entry<String, String> e : entries) {
            String text = e.getKey() + ": " + e.getValue();
            if (item) {
                line(depth, firstEntry ? owner : null, (firstEntry ? "- " : "  ") + text);
            } else {
                line(depth + 1, null, text);
            }
            firstEntry = false;
        }
    }

    /** The YAML entries of a prop list, in canonical order, with repeated list keys merged. */
    private static List<Map.Entry<String, String>> entries(Keys.Context context, List<Prop> props) {
        Map<String, List<Prop>> lists = new LinkedHashMap<>();
        List<Map.Entry<String, List<Prop>>> groups = new ArrayList<>();
        for (Prop p : Order.canonical(context, props)) {
            boolean list = Keys.shape(context, p.name()).orElse(null) == Keys.Shape.LIST;
            if (list && lists.containsKey(p.name())) {
                lists.get(p.name()).add(p);
                continue;
            }
            List<Prop> group = new ArrayList<>(List.of(p));
            if (list) {
                lists.put(p.name(), group);
            }
            groups.add(Map.entry(p.name(), group));
        }
        return groups.stream()
                .map(g -> Map.entry(key(g.getKey()), value(context, g.getKey(), g.getValue())))
                .toList();
    }

    private static String value(Keys.Context context, String key, List<Prop> props) {
        Keys.Shape shape = Keys.shape(context, key).orElse(null);
        List<Lit> values = props.stream().flatMap(p -> p.values().stream()).toList();
        if (shape == Keys.Shape.LIST || values.size() > 1) {
            StringJoiner list = new StringJoiner(", ", "[", "]");
            values.forEach(v -> list.add(scalar(v.text(), false)));
            return list.toString();
        }
        if (values.isEmpty()) {
            return "true";
        }
        return scalar(values.get(0).text(), shape == Keys.Shape.FLAG);
    }

    // ---- scalars -------------------------------------------------------------------------------

    private static String key(Lit lit) {
        return lit == null ? "\"\"" : key(lit.text());
    }

    private static String key(String text) {
        return scalar(text, false);
    }

    /** The text as a YAML scalar that loads back as the same text. */
    public static String scalar(String text, boolean flag) {
        if (flag && (text.equals("true") || text.equals("false"))) {
            return text;
        }
        if (DECIMAL.matcher(text).matches()) {
            return text;
        }
        if (PLAIN.matcher(text).matches() && RESOLVER.resolve(NodeId.scalar, text, true).equals(Tag.STR)) {
            return text;
        }
        return quote(text);
    }

    static String quote(String text) {
        StringBuilder b = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (printable(c)) {
                        b.appendCodePoint(c);
                    } else if (c <= 0xFFFF) {
                        b.append(String.format("\\u%04X", c));
                    } else {
                        b.append(String.format("\\U%08X", c));
                    }
                }
            }
        });
        return b.append('"').toString();
    }

    private static boolean printable(int c) {
        return c >= 0x20 && c <= 0x7E || c >= 0xA0 && c <= 0xD7FF && c != 0x2028 && c != 0x2029 || c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF
                || c >= 0x10000 && c <= 0x10FFFF;
    }

    // ---- lines ---------------------------------------------------------------------------------

    /** A line with the comments of its owner: leading ones before it, trailing ones at its end. */
    private void line(int depth, Object owner, String text) {
        String trailing = "";
        if (owner != null) {
            if (!leadingDone.containsKey(owner)) {
                comments.leading(owner).forEach(c -> comment(depth, c));
            }
            if (!trailingDone.containsKey(owner)) {
                trailing = comments.trailing(owner).stream().map(c -> " " + hash(c)).reduce("", String::concat);
            }
        }
        out.append(INDENT.repeat(depth)).append(text).append(trailing).append('\n');
    }

    private void comment(int depth, String text) {
        out.append(INDENT.repeat(depth)).append(hash(text)).append('\n');
    }

    private static String hash(String comment) {
        return comment.startsWith("//") ? "#" + comment.substring(2) : comment;
    }
}

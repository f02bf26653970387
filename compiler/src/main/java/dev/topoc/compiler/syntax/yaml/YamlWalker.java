package dev.topoc.compiler.syntax.yaml;

import dev.topoc.compiler.ast.ChainAst;
import dev.topoc.compiler.ast.ExpectAst;
import dev.topoc.compiler.ast.FwRuleAst;
import dev.topoc.compiler.ast.IfaceAst;
import dev.topoc.compiler.ast.Keys;
import dev.topoc.compiler.ast.Keys.Context;
import dev.topoc.compiler.ast.Keys.Shape;
import dev.topoc.compiler.ast.LinkAst;
import dev.topoc.compiler.ast.MachineAst;
import dev.topoc.compiler.ast.Lit;
import dev.topoc.compiler.ast.NatAst;
import dev.topoc.compiler.ast.NodeAst;
import dev.topoc.compiler.ast.Prop;
import dev.topoc.compiler.ast.RouteAst;
import dev.topoc.compiler.ast.RuleAst;
import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Msg;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Walks a composed YAML node graph into the AST. Every map is read by {@link #readMap}, driven by the
 * key table of {@link Keys}: keys of shape SCALAR, FLAG, LIST and PAIRS become props generically, and
 * the few NESTED keys of a context have one handler each. Unknown keys, values of the wrong structural
 * type and duplicate keys are reported where they were written, and reading goes on. Aliases make the
 * graph a DAG that may be far larger than the text, so every visited node is counted and the walk stops
 * past {@link #MAX_VISITS}.
 */
final class YamlWalker {
    static final long MAX_VISITS = 2_000_000;

    /** Thrown (and caught by the front end) when the walk exceeds {@link #MAX_VISITS}. */
    static final class TooMuchWork extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Node where;

        TooMuchWork(Node where) {
            super(null, null, false, false);
            this.where = where;
        }
    }

    private final YamlSpans spans;
    private final Diagnostics diagnostics;
    private long visits;

    YamlWalker(YamlSpans spans, Diagnostics diagnostics) {
        this.spans = spans;
        this.diagnostics = diagnostics;
    }

    TopologyAst topology(Node root) {
        Span span = spans.point(root.getStartMark());
        if (!(root instanceof MappingNode map)) {
            wrongType(root, Msg.WT_TOPOLOGY_FILE_MAP_TOPOLOGY, describe(root));
            return empty(span);
        }
        List<MachineAst> machines = new ArrayList<>();
        List<NodeAst> nodes = new ArrayList<>();
        List<LinkAst> links = new ArrayList<>();
        List<ExpectAst> expects = new ArrayList<>();
        List<Prop> props = readMap(map, Context.TOPOLOGY, Map.of(
                "machines", (key, value) -> named(key, value, "machine name: machine",
                        (name, body) -> machine(name, body).ifPresent(machines::add)),
                "nodes", (key, value) -> named(key, value, "node name: node",
                        (name, body) -> node(name, body).ifPresent(nodes::add)),
                "links", (key, value) -> links(key, value, links),
                "expect", (key, value) -> entries(key, value, Context.EXPECT,
                        (at, p) -> expects.add(new ExpectAst(at, p)))));
        Lit name = take(props, "topology").orElse(null);
        return new TopologyAst(span, Syntax.YAML, name, machines, nodes, links, expects, List.of());
    }

    static TopologyAst empty(Span span) {
        return new TopologyAst(span, Syntax.YAML, null, List.of(), List.of(), List.of(), List.of());
    }

    // ---- machines, nodes and what they hold

    private Optional<MachineAst> machine(Lit name, Node body) {
        if (isNull(body)) {
            return Optional.of(new MachineAst(name.span(), name, List.of()));
        }
        if (!(body instanceof MappingNode map)) {
            wrongType(body, Msg.WT_MACHINE_TAKES_MAP, name.text(), describe(body));
            return Optional.empty();
        }
        return Optional.of(new MachineAst(name.span(), name, readMap(map, Context.MACHINE, Map.of())));
    }

    private Optional<NodeAst> node(Lit name, Node body) {
        List<IfaceAst> interfaces = new ArrayList<>();
        List<RouteAst> routes = new ArrayList<>();
        List<RuleAst> rules = new ArrayList<>();
        List<NatAst> nat = new ArrayList<>();
        List<ChainAst> firewall = new ArrayList<>();
        List<Prop> props = new ArrayList<>();
        List<Prop> workloads = new ArrayList<>();
        if (body instanceof MappingNode map) {
            props.addAll(readMap(map, Context.NODE, Map.of(
                    "interfaces", (key, value) -> named(key, value, "interface name: interface",
                            (ifName, ifBody) -> iface(ifName, ifBody).ifPresent(interfaces::add)),
                    "routes", (key, value) -> entries(key, value, Context.ROUTE,
                            (at, p) -> routes.add(new RouteAst(at, p))),
                    "rules", (key, value) -> entries(key, value, Context.RULE,
                            (at, p) -> rules.add(new RuleAst(at, p))),
                    "nat", (key, value) -> entries(key, value, Context.NAT,
                            (at, p) -> nat.add(new NatAst(at, p))),
                    "firewall", (key, value) -> named(key, value, "chain: {policy, rules}",
                            (chain, chainBody) -> chain(chain, chainBody).ifPresent(firewall::add)),
                    "listen", (key, value) -> listens(key, value, workloads),
                    "run", (key, value) -> runs(key, value, workloads))));
            props.addAll(workloads);
        } else if (!isNull(body)) {
            wrongType(body, Msg.WT_NODE_TAKES_MAP_NODE, name.text(), describe(body));
            return Optional.empty();
        }
        return Optional.of(new NodeAst(name.span(), name, props, interfaces, routes, rules, nat, firewall));
    }

    private Optional<IfaceAst> iface(Lit name, Node body) {
        if (isNull(body)) {
            return Optional.of(new IfaceAst(name.span(), name, List.of()));
        }
        if (!(body instanceof MappingNode map)) {
            wrongType(body, Msg.WT_INTERFACE_TAKES_MAP_INTERFACE, name.text(), describe(body));
            return Optional.empty();
        }
        return Optional.of(new IfaceAst(name.span(), name, readMap(map, Context.IFACE, Map.of())));
    }

    private Optional<ChainAst> chain(Lit name, Node body) {
        if (!Keys.CHAINS.contains(name.text())) {
            unknown(name, "chain", Keys.CHAINS, "in `firewall`");
            return Optional.empty();
        }
        List<FwRuleAst> rules = new ArrayList<>();
        if (isNull(body)) {
            return Optional.of(new ChainAst(name.span(), name, List.of(), rules));
        }
        if (!(body instanceof MappingNode map)) {
            wrongType(body, Msg.WT_CHAIN_TAKES_MAP_POLICY, name.text(), describe(body));
            return Optional.empty();
        }
        List<Prop> props = readMap(map, Context.CHAIN, Map.of(
                "rules", (key, value) -> entries(key, value, Context.FWRULE,
                        (at, p) -> rules.add(new FwRuleAst(at, p)))));
        return Optional.of(new ChainAst(name.span(), name, props, rules));
    }

    /**
     * {@code listen: [tcp/80, "udp/53 on 10.0.0.10", {proto: udp, port: 53, on: 10.0.0.10}]}: each item
     * becomes one {@code listen} prop with values [proto, ports] or [proto, ports, address], as the DSL's
     * {@code listen udp 53 on 10.0.0.10} does.
     */
    private void listens(Lit key, Node value, List<Prop> out) {
        for (Node item : sequence(key, value, "a list of listening ports such as `tcp/80`")) {
            visit(item);
            Span at = spans.of(item);
            if (item instanceof ScalarNode scalar && !isNull(scalar)) {
                String[] words = scalar.getValue().trim().split("\\s+");
                int slash = words[0].indexOf('/');
                boolean on = words.length == 3 && words[1].equals("on");
                if (slash <= 0 || slash == words[0].length() - 1 || !(words.length == 1 || on)) {
                    wrongType(item, Msg.WT_LISTEN_WRITTEN_TCP_TCP, scalar.getValue());
                    continue;
                }
                List<Lit> values = new ArrayList<>(List.of(new Lit(words[0].substring(0, slash), at),
                        new Lit(words[0].substring(slash + 1), at)));
                if (on) {
                    values.add(new Lit(words[2], at));
                }
                out.add(new Prop(new Lit(key.text(), at), values));
            } else if (item instanceof MappingNode map) {
                List<Prop> props = readMap(map, Context.LISTEN, Map.of());
                Optional<Lit> proto = take(props, "proto");
                Optional<Lit> port = take(props, "port");
                Optional<Lit> address = take(props, "on");
                for (String k : List.of("proto", "port")) {
                    if ((k.equals("proto") ? proto : port).isEmpty() && !hasKey(map, k)) {
                        diagnostics.report(Msg.LISTEN_NEEDS_E_G, at, k);
                    }
                }
                if (proto.isPresent() && port.isPresent()) {
                    List<Lit> values = new ArrayList<>(List.of(proto.get(), port.get()));
                    address.ifPresent(values::add);
                    out.add(new Prop(new Lit(key.text(), at), values));
                }
            } else {
                wrongType(item, Msg.WT_EACH_ENTRY_LISTEN_TCP, describe(item));
            }
        }
    }

    /** {@code run: ["python3 -m http.server 80"]}: each command becomes one {@code run} prop. */
    private void runs(Lit key, Node value, List<Prop> out) {
        for (Node item : sequence(key, value, "a list of commands")) {
            visit(item);
            if (item instanceof ScalarNode scalar && !isNull(scalar)) {
                out.add(new Prop(new Lit(key.text(), spans.of(item)), List.of(lit(scalar))));
            } else {
                wrongType(item, Msg.WT_EACH_ENTRY_RUN_COMMAND, describe(item));
            }
        }
    }

    private void links(Lit key, Node value, List<LinkAst> out) {
        for (Node item : sequence(key, value, "a list of links")) {
            visit(item);
            if (item instanceof SequenceNode pair) {
                pairLink(pair).ifPresent(out::add);
            } else if (item instanceof MappingNode map) {
                mapLink(map).ifPresent(out::add);
            } else {
                wrongType(item, Msg.WT_LINK_WRITTEN_B_NODE, describe(item));
            }
        }
    }

    private Optional<LinkAst> pairLink(SequenceNode pair) {
        List<Node> ends = pair.getValue();
        if (ends.size() != 2) {
            wrongType(pair, Msg.WT_LINK_B_TWO_ENDPOINTS, ends.size());
            return Optional.empty();
        }
        Optional<Lit> a = endpoint(ends.get(0));
        Optional<Lit> b = endpoint(ends.get(1));
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LinkAst(spans.of(pair), a.get(), b.get(), List.of()));
    }

    private Optional<Lit> endpoint(Node end) {
        visit(end);
        if (end instanceof ScalarNode scalar && !isNull(scalar)) {
            return Optional.of(lit(scalar));
        }
        wrongType(end, Msg.WT_LINK_ENDPOINT_WRITTEN_NODE, describe(end));
        return Optional.empty();
    }

    private Optional<LinkAst> mapLink(MappingNode map) {
        List<Prop> props = readMap(map, Context.LINK, Map.of());
        Optional<Lit> a = take(props, "a");
        Optional<Lit> b = take(props, "b");
        for (String end : List.of("a", "b")) {
            if ((end.equals("a") ? a : b).isEmpty() && !hasKey(map, end)) {
                diagnostics.report(Msg.LINK_NEEDS_ENDPOINT_NODE, spans.of(map), end);
            }
        }
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LinkAst(spans.of(map), a.get(), b.get(), props));
    }

    // ---- generic readers

    /**
     * Reads one map of a context: unknown and duplicate keys are reported, NESTED keys go to their
     * handler, every other key becomes props (in source order).
     */
    private List<Prop> readMap(MappingNode map, Context context, Map<String, BiConsumer<Lit, Node>> nested) {
        visit(map);
        List<Prop> props = new ArrayList<>();
        Map<String, Lit> seen = new HashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Optional<Lit> key = key(tuple.getKeyNode(), seen);
            if (key.isEmpty()) {
                continue;
            }
            Optional<Shape> shape = Keys.shape(context, key.get().text());
            if (shape.isEmpty()) {
                unknown(key.get(), "key", Keys.of(context), where(context));
            } else if (shape.get() == Shape.NESTED) {
                nested.get(key.get().text()).accept(key.get(), tuple.getValueNode());
            } else {
                props.addAll(props(key.get(), shape.get(), tuple.getValueNode()));
            }
        }
        return props;
    }

    /** A map of name → body (nodes, interfaces, chains); {@code what} describes it for messages. */
    private void named(Lit key, Node value, String what, BiConsumer<Lit, Node> each) {
        visit(value);
        if (isNull(value)) {
            return;
        }
        if (!(value instanceof MappingNode map)) {
            wrongType(value, Msg.WT_TAKES_MAP_FOUND, key.text(), what, describe(value));
            return;
        }
        Map<String, Lit> seen = new HashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            key(tuple.getKeyNode(), seen).ifPresent(name -> each.accept(name, tuple.getValueNode()));
        }
    }

    /** A list of maps of one context (routes, rules, nat, firewall rules, expect). */
    private void entries(Lit key, Node value, Context context, BiConsumer<Span, List<Prop>> make) {
        for (Node item : sequence(key, value, "a list of maps")) {
            visit(item);
            if (item instanceof MappingNode map) {
                make.accept(spans.of(map), readMap(map, context, Map.of()));
            } else {
                wrongType(item, Msg.WT_EACH_ENTRY_MAP_FOUND, key.text(), describe(item));
            }
        }
    }

    private List<Node> sequence(Lit key, Node value, String what) {
        visit(value);
        if (value instanceof SequenceNode seq) {
            return seq.getValue();
        }
        if (!isNull(value)) {
            wrongType(value, Msg.WT_TAKES_FOUND, key.text(), what, describe(value));
        }
        return List.of();
    }

    private List<Prop> props(Lit key, Shape shape, Node value) {
        visit(value);
        return switch (shape) {
            case SCALAR, FLAG -> single(key, value).map(v -> List.of(new Prop(key, List.of(v)))).orElse(List.of());
            case LIST -> list(key, value);
            case PAIRS -> pairs(key, value);
            case NESTED -> throw new IllegalStateException("nested key without handler: " + key.text());
        };
    }

    private Optional<Lit> single(Lit key, Node value) {
        if (value instanceof ScalarNode scalar && !isNull(scalar)) {
            return Optional.of(lit(scalar));
        }
        if (isNull(value)) {
            Span at = value instanceof ScalarNode s && !s.getValue().isEmpty() ? spans.of(value) : key.span();
            diagnostics.report(Msg.KEY_NEEDS_VALUE_1, at, key.text());
        } else {
            wrongType(value, Msg.WT_TAKES_SINGLE_VALUE_FOUND, key.text(), describe(value));
        }
        return Optional.empty();
    }

    /** LIST keys take a sequence of scalars or one scalar; an empty list or no value gives no prop. */
    private List<Prop> list(Lit key, Node value) {
        if (isNull(value)) {
            return List.of();
        }
        if (value instanceof ScalarNode scalar) {
            return List.of(new Prop(key, List.of(lit(scalar))));
        }
        if (!(value instanceof SequenceNode seq)) {
            wrongType(value, Msg.WT_TAKES_LIST_VALUES_FOUND, key.text(), describe(value));
            return List.of();
        }
        List<Lit> values = new ArrayList<>();
        for (Node item : seq.getValue()) {
            visit(item);
            if (item instanceof ScalarNode scalar && !isNull(scalar)) {
                values.add(lit(scalar));
            } else {
                wrongType(item, Msg.WT_EACH_VALUE_SINGLE_VALUE, key.text(), describe(item));
            }
        }
        return values.isEmpty() ? List.of() : List.of(new Prop(key, values));
    }

    /** PAIRS keys ({@code sysctl}) take a map; each pair becomes one prop with values [key, value]. */
    private List<Prop> pairs(Lit key, Node value) {
        if (isNull(value)) {
            return List.of();
        }
        if (!(value instanceof MappingNode map)) {
            wrongType(value, Msg.WT_TAKES_MAP_KEY_VALUE, key.text(), describe(value));
            return List.of();
        }
        List<Prop> props = new ArrayList<>();
        Map<String, Lit> seen = new HashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Optional<Lit> name = key(tuple.getKeyNode(), seen);
            Node v = tuple.getValueNode();
            visit(v);
            if (name.isEmpty()) {
                continue;
            }
            if (v instanceof ScalarNode scalar && !isNull(scalar)) {
                props.add(new Prop(new Lit(key.text(), name.get().span()), List.of(name.get(), lit(scalar))));
            } else if (isNull(v)) {
                diagnostics.report(Msg.KEY_NEEDS_VALUE, name.get().span(), key.text(), name.get().text());
            } else {
                wrongType(v, Msg.WT_KEY_TAKES_SINGLE_VALUE, key.text(), name.get().text(), describe(v));
            }
        }
        return props;
    }

    /** A map key as a Lit; reports keys that are not scalars and keys given twice in {@code seen}'s map. */
    private Optional<Lit> key(Node keyNode, Map<String, Lit> seen) {
        visit(keyNode);
        if (!(keyNode instanceof ScalarNode scalar)) {
            wrongType(keyNode, Msg.WT_KEY_SINGLE_WORD_FOUND, describe(keyNode));
            return Optional.empty();
        }
        Lit key = lit(scalar);
        Lit first = seen.putIfAbsent(key.text(), key);
        if (first != null) {
            diagnostics.add(Msg.GIVEN_TWICE_MAP_FIRST.at(key.span(), key.text(),
                    first.span().line()).withNote(first.span(), "`" + key.text() + "` first given here"));
            return Optional.empty();
        }
        return Optional.of(key);
    }

    // ---- helpers

    private void unknown(Lit key, String what, List<String> allowed, String where) {
        Optional<String> close = Keys.closest(key.text(), allowed);
        if (key.text().equals("<<")) {
            diagnostics.report(Msg.UNKNOWN_MERGE_KEY, key.span(), what, key.text(), where);
        } else if (close.isPresent()) {
            diagnostics.report(Msg.UNKNOWN_KEY_CLOSE, key.span(), what, key.text(), where, close.get());
        } else {
            diagnostics.report(Msg.UNKNOWN_KEY_CHOICES, key.span(), what, key.text(), where,
                    String.join(", ", allowed));
        }
    }

    private static String where(Context context) {
        return switch (context) {
            case TOPOLOGY -> "at the top level";
            case MACHINE -> "in a machine";
            case NODE -> "in a node";
            case IFACE -> "in an interface";
            case LINK -> "in a link";
            case ROUTE -> "in a route";
            case RULE -> "in a rule";
            case NAT -> "in a nat entry";
            case CHAIN -> "in a firewall chain";
            case FWRULE -> "in a firewall rule";
            case EXPECT -> "in an expect";
            case LISTEN -> "in a listen";
        };
    }

    private void wrongType(Node at, Msg wording, Object... args) {
        diagnostics.report(wording, spans.of(at), args);
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull(node)) {
            return "nothing";
        }
        String text = ((ScalarNode) node).getValue();
        return "the value `" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "`";
    }

    private static boolean isNull(Node node) {
        return node == null || node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private static boolean hasKey(MappingNode map, String key) {
        return map.getValue().stream()
                .anyMatch(t -> t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key));
    }

    private Lit lit(ScalarNode scalar) {
        return new Lit(scalar.getValue(), spans.of(scalar));
    }

    /** Removes the first prop of a key and returns its value. */
    private static Optional<Lit> take(List<Prop> props, String key) {
        for (Iterator<Prop> it = props.iterator(); it.hasNext();) {
            Prop p = it.next();
            if (p.name().equals(key)) {
                it.remove();
                return Optional.ofNullable(p.value());
            }
        }
        return Optional.empty();
    }

    private void visit(Node node) {
        if (++visits > MAX_VISITS) {
            throw new TooMuchWork(node);
        }
    }
}

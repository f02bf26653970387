package dev.topoc.compiler.syntax.dsl;

import dev.topoc.compiler.ast.ChainAst;
import dev.topoc.compiler.ast.Comment;
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
import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Span;
import dev.topoc.grammar.TopoLexer;
import dev.topoc.grammar.TopoParser;
import dev.topoc.grammar.TopoParserBaseVisitor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Turns a DSL parse tree into the AST. One visitor method per statement, each calling a small
 * {@code toX(ctx)} helper; DSL words are mapped to the canonical keys of {@link dev.topoc.compiler.ast.Keys}
 * here. The tree may hold error-recovery debris: a part that did not parse is left out (its syntax error
 * has been reported), never guessed.
 */
final class DslAstBuilder extends TopoParserBaseVisitor<Void> {
    /** DSL words that differ from the canonical key, per place. */
    private static final Map<String, String> IFACE_WORDS = Map.of("address", "addresses");
    private static final Map<String, String> RULE_WORDS = Map.of("lookup", "table");
    private static final Map<String, String> FIREWALL_WORDS = Map.of("in", "iif", "out", "oif");

    private final String path;
    private final Diagnostics diagnostics;

    private Lit topologyName;
    private Span topologySpan;
    private final List<MachineAst> machines = new ArrayList<>();
    private final List<NodeAst> nodes = new ArrayList<>();
    private final List<LinkAst> links = new ArrayList<>();
    private final List<ExpectAst> expects = new ArrayList<>();
    private NodeParts node;

    /** The lists of the node being built. */
    private static final class NodeParts {
        final List<Prop> props = new ArrayList<>();
        final List<IfaceAst> interfaces = new ArrayList<>();
        final List<RouteAst> routes = new ArrayList<>();
        final List<RuleAst> rules = new ArrayList<>();
        final List<NatAst> nat = new ArrayList<>();
        final List<ChainAst> firewall = new ArrayList<>();
    }

    DslAstBuilder(String path, Diagnostics diagnostics) {
        this.path = path;
        this.diagnostics = diagnostics;
    }

    TopologyAst build(TopoParser.FileContext file, List<Comment> comments) {
        visit(file);
        Span span = topologySpan != null ? topologySpan : Span.of(path, 1, 1, 1);
        return new TopologyAst(span, Syntax.DSL, topologyName, machines, nodes, links, expects, comments);
    }

    // ---- top level -----------------------------------------------------------------------------

    @Override
    public Void visitS_topology(TopoParser.S_topologyContext ctx) {
        Lit name = lit(ctx.name);
        if (name == null) {
            return null;
        }
        if (topologyName != null) {
            diagnostics.error(Code.DUPLICATE_KEY, name.span(),
                    "the topology is already named `" + topologyName.text() + "` (line " + topologyName.span().line() + ")");
            return null;
        }
        topologyName = name;
        topologySpan = span(ctx.TOPOLOGY().getSymbol());
        return null;
    }

    @Override
    public Void visitS_machine(TopoParser.S_machineContext ctx) {
        Lit name = lit(ctx.name);
        List<Prop> props = new ArrayList<>();
        ctx.m_pair().forEach(p -> addIfValued(props, pair(p.key, Map.of(), p.value)));
        if (ctx.m_block() != null) {
            ctx.m_block().m_pair().forEach(p -> addIfValued(props, pair(p.key, Map.of(), p.value)));
        }
        if (name != null) {
            machines.add(new MachineAst(span(ctx.MACHINE().getSymbol()), name, single(props, Keys.Context.MACHINE)));
        }
        return null;
    }

    @Override
    public Void visitS_node(TopoParser.S_nodeContext ctx) {
        Lit name = lit(ctx.name);
        node = new NodeParts();
        if (ctx.node_kind() != null) {
            node.props.add(wordProp("kind", ctx.node_kind()));
        }
        visitChildren(ctx);
        if (name != null) {
            nodes.add(new NodeAst(span(ctx.NODE().getSymbol()), name, single(node.props, Keys.Context.NODE), node.interfaces, node.routes,
                    node.rules, node.nat, node.firewall));
        }
        node = null;
        return null;
    }

    @Override
    public Void visitS_link(TopoParser.S_linkContext ctx) {
        Lit a = lit(ctx.a);
        Lit b = lit(ctx.b);
        if (a != null && b != null) {
            links.add(toLink(ctx, a, b));
        }
        return null;
    }

    @Override
    public Void visitS_expect(TopoParser.S_expectContext ctx) {
        expects.add(toExpect(ctx));
        return null;
    }

    // ---- node statements -----------------------------------------------------------------------

    @Override
    public Void visitN_forwarding(TopoParser.N_forwardingContext ctx) {
        node.props.add(flag("forwarding", ctx.FORWARDING(), ctx.bool()));
        return null;
    }

    @Override
    public Void visitN_machine(TopoParser.N_machineContext ctx) {
        addIfValued(node.props, prop("machine", ctx.MACHINE(), ctx.name));
        return null;
    }

    @Override
    public Void visitN_sysctl(TopoParser.N_sysctlContext ctx) {
        Lit key = lit(ctx.key);
        Lit value = lit(ctx.value);
        if (key != null && value != null) {
            node.props.add(new Prop(key("sysctl", ctx.SYSCTL()), List.of(key, value)));
        }
        return null;
    }

    /** {@code listen PROTO PORTS [on ADDRESS]}: one prop, values [proto, ports] or [proto, ports, address]. */
    @Override
    public Void visitN_listen(TopoParser.N_listenContext ctx) {
        Lit proto = lit(ctx.proto);
        Lit ports = lit(ctx.ports);
        if (proto == null || ports == null) {
            return null;
        }
        List<Lit> values = new ArrayList<>(List.of(proto, ports));
        if (ctx.ON() != null) {
            Lit address = lit(ctx.address);
            if (address == null) {
                return null;
            }
            values.add(address);
        }
        node.props.add(new Prop(key("listen", ctx.LISTEN()), values));
        return null;
    }

    @Override
    public Void visitN_run(TopoParser.N_runContext ctx) {
        addIfValued(node.props, prop("run", ctx.RUN(), ctx.command));
        return null;
    }

    @Override
    public Void visitN_iface(TopoParser.N_ifaceContext ctx) {
        Lit name = lit(ctx.name);
        if (name != null) {
            node.interfaces.add(toIface(ctx.IFACE().getSymbol(), name, ctx.iface_kind(), ctx.i_pair(), ctx.i_block()));
        }
        return null;
    }

    @Override
    public Void visitN_kind_iface(TopoParser.N_kind_ifaceContext ctx) {
        Lit name = lit(ctx.name);
        if (name != null) {
            node.interfaces.add(toIface(ctx.getStart(), name, ctx.iface_kind(), ctx.i_pair(), ctx.i_block()));
        }
        return null;
    }

    @Override
    public Void visitN_lo(TopoParser.N_loContext ctx) {
        Token lo = ctx.LO().getSymbol();
        node.interfaces.add(toIface(lo, new Lit(lo.getText(), span(lo)), null, ctx.i_pair(), ctx.i_block()));
        return null;
    }

    @Override
    public Void visitN_route(TopoParser.N_routeContext ctx) {
        node.routes.add(toRoute(ctx));
        return null;
    }

    @Override
    public Void visitN_rule(TopoParser.N_ruleContext ctx) {
        node.rules.add(toRule(ctx));
        return null;
    }

    @Override
    public Void visitN_nat(TopoParser.N_natContext ctx) {
        node.nat.add(toNat(ctx));
        return null;
    }

    @Override
    public Void visitN_firewall(TopoParser.N_firewallContext ctx) {
        Lit chain = lit(ctx.chain_name());
        if (chain != null) {
            node.firewall.add(toChain(ctx, chain));
        }
        return null;
    }

    /** A single-valued key given twice in one block: E0006, as in YAML (see {@link RepeatedKeys}). */
    private List<Prop> single(List<Prop> props, Keys.Context context) {
        return RepeatedKeys.check(props, context, diagnostics);
    }

    // ---- entries -------------------------------------------------------------------------------

    private IfaceAst toIface(Token start, Lit name, TopoParser.Iface_kindContext kind,
            List<TopoParser.I_pairContext> header, TopoParser.I_blockContext block) {
        List<Prop> props = new ArrayList<>();
        if (kind != null) {
            addIfValued(props, wordProp("kind", kind));
        }
        header.forEach(p -> addIfValued(props, toIfaceProp(p)));
        if (block != null) {
            block.i_pair().forEach(p -> addIfValued(props, toIfaceProp(p)));
        }
        return new IfaceAst(span(start), name, single(props, Keys.Context.IFACE));
    }

    private Prop toIfaceProp(TopoParser.I_pairContext ctx) {
        if (ctx.i_address() != null) {
            TerminalNode word = ctx.i_address().ADDRESS();
            return new Prop(key(IFACE_WORDS.get("address"), word), addresses(ctx.i_address().plain()));
        }
        if (ctx.i_flag() != null) {
            TerminalNode word = (TerminalNode) ctx.i_flag().getChild(0);
            return flag(word.getText(), word, ctx.i_flag().bool());
        }
        TopoParser.I_scalarContext scalar = ctx.i_scalar();
        return scalar == null ? null : pair(scalar.key, Map.of(), scalar.value);
    }

    /** Addresses in the CIDR form or {@code auto} ( IPv6 starts with hex digits and holds colons). */
    private static final java.util.regex.Pattern STATEMENT_LIKE = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z_-]*");

    /**
     * The values of {@code address A B …}. A bare word such as {@code delay} in {@code address 10.0.0.1/24
     * delay 10ms} is a statement the language lacks, not an address: reported as such (with the statements
     * an interface block takes), and it ends the list.
     */
    private List<Lit> addresses(List<TopoParser.PlainContext> plains) {
        List<Lit> out = new ArrayList<>();
        for (TopoParser.PlainContext p : plains) {
            Token t = p.getStart();
            if (t.getType() == TopoLexer.WORD && STATEMENT_LIKE.matcher(t.getText()).matches() && !t.getText().equals("auto")) {
                List<String> words = dev.topoc.compiler.ast.Keys.of(dev.topoc.compiler.ast.Keys.Context.IFACE).stream()
                        .map(k -> k.equals("addresses") ? "address" : k).toList();
                diagnostics.error(Code.SYNTAX, span(t), "`" + t.getText() + "` is not an interface statement (those are: "
                        + String.join(", ", words) + "), nor an address (`address` takes addresses with a prefix length, "
                        + "such as 10.0.0.1/24, or `auto`)");
                break;
            }
            Lit lit = lit(p);
            if (lit != null) {
                out.add(lit);
            }
        }
        return out;
    }

    private RouteAst toRoute(TopoParser.N_routeContext ctx) {
        List<Prop> props = new ArrayList<>();
        if (ctx.route_type() != null) {
            addIfValued(props, wordProp("type", ctx.route_type()));
        }
        Lit dest = lit(ctx.dest);
        if (dest != null) {
            props.add(new Prop(new Lit("to", dest.span()), List.of(dest)));
        }
        ctx.r_opt().forEach(o -> addIfValued(props, pair(o.key, Map.of(), o.value)));
        return new RouteAst(span(ctx.ROUTE().getSymbol()), single(props, Keys.Context.ROUTE));
    }

    private RuleAst toRule(TopoParser.N_ruleContext ctx) {
        List<Prop> props = new ArrayList<>();
        ctx.ru_opt().forEach(o -> addIfValued(props, pair(o.key, RULE_WORDS, o.value)));
        return new RuleAst(span(ctx.RULE().getSymbol()), single(props, Keys.Context.RULE));
    }

    private NatAst toNat(TopoParser.N_natContext ctx) {
        List<Prop> props = new ArrayList<>();
        addIfValued(props, wordProp("type", ctx.nat_type()));
        for (TopoParser.Na_optContext o : ctx.na_opt()) {
            addIfValued(props, o.na_proto() != null ? wordProp("proto", o.na_proto())
                    : o.na_pair() == null ? null : pair(o.na_pair().key, Map.of(), o.na_pair().value));
        }
        return new NatAst(span(ctx.NAT().getSymbol()), single(props, Keys.Context.NAT));
    }

    private ChainAst toChain(TopoParser.N_firewallContext ctx, Lit chain) {
        List<Prop> props = new ArrayList<>();
        if (ctx.f_policy() != null) {
            addIfValued(props, prop("policy", ctx.f_policy().POLICY(), ctx.f_policy().value));
        }
        List<FwRuleAst> rules = new ArrayList<>();
        if (ctx.f_block() != null) {
            for (TopoParser.F_ruleContext rule : ctx.f_block().f_rule()) {
                FwRuleAst r = toFwRule(rule);
                if (r != null) {
                    rules.add(r);
                }
            }
        }
        return new ChainAst(span(ctx.FIREWALL().getSymbol()), chain, props, rules);
    }

    private FwRuleAst toFwRule(TopoParser.F_ruleContext ctx) {
        Token action = token(ctx.f_action());
        if (action == null) {
            return null;
        }
        List<Prop> props = new ArrayList<>();
        props.add(wordProp("action", ctx.f_action()));
        for (TopoParser.F_optContext o : ctx.f_opt()) {
            addIfValued(props, o.key != null && token(o.key) != null && token(o.key).getType() == TopoLexer.STATE
                    ? toState(o) : pair(o.key, FIREWALL_WORDS, o.value));
        }
        return new FwRuleAst(span(action), single(props, Keys.Context.FWRULE));
    }

    /** {@code state established,related}: one value per state, each with its own column. */
    private Prop toState(TopoParser.F_optContext ctx) {
        Token list = token(ctx.value);
        if (list == null) {
            return null;
        }
        List<Lit> states = new ArrayList<>();
        String text = list.getText();
        int from = 0;
        while (from <= text.length()) {
            int comma = text.indexOf(',', from);
            int to = comma < 0 ? text.length() : comma;
            Span where = Span.of(path, list.getLine(), list.getCharPositionInLine() + 1 + from, to - from);
            states.add(new Lit(text.substring(from, to), where));
            from = to + 1;
        }
        return new Prop(key("state", token(ctx.key)), states);
    }

    private LinkAst toLink(TopoParser.S_linkContext ctx, Lit a, Lit b) {
        List<Prop> props = new ArrayList<>();
        ctx.l_pair().forEach(p -> addIfValued(props, pair(p.key, Map.of(), p.value)));
        if (ctx.l_block() != null) {
            ctx.l_block().l_pair().forEach(p -> addIfValued(props, pair(p.key, Map.of(), p.value)));
        }
        return new LinkAst(span(ctx.LINK().getSymbol()), a, b, single(props, Keys.Context.LINK));
    }

    private ExpectAst toExpect(TopoParser.S_expectContext ctx) {
        List<Prop> props = new ArrayList<>();
        addIfValued(props, positional("from", ctx.from));
        addIfValued(props, positional("to", ctx.to));
        if (ctx.e_proto() != null) {
            toExpectProto(ctx.e_proto(), props);
        }
        Token reach = token(ctx.e_reach());
        if (reach != null) {
            String value = reach.getType() == TopoLexer.REACH ? "true" : "false";
            props.add(new Prop(new Lit("reach", span(reach)), List.of(new Lit(value, span(reach)))));
        }
        for (TopoParser.E_optContext o : ctx.e_opt()) {
            if (o.e_via() != null) {
                addIfValued(props, new Prop(key("via", o.e_via().VIA()), lits(o.e_via().plain())));
            } else if (o.e_lands() != null) {
                addIfValued(props, prop("lands", o.e_lands().LANDS(), o.e_lands().node));
            }
        }
        return new ExpectAst(span(ctx.EXPECT().getSymbol()), single(props, Keys.Context.EXPECT));
    }

    private void toExpectProto(TopoParser.E_protoContext ctx, List<Prop> props) {
        Token proto = token(ctx);
        if (proto == null) {
            return;
        }
        props.add(new Prop(new Lit("proto", span(proto)), List.of(new Lit(proto.getText(), span(proto)))));
        if (proto.getType() != TopoLexer.ICMP) {
            addIfValued(props, positional("port", ctx.port));
        }
        if (ctx.e_size() != null) {
            addIfValued(props, prop("size", ctx.e_size().SIZE(), ctx.e_size().n));
        }
        if (ctx.DF() != null) {
            Token df = ctx.DF().getSymbol();
            props.add(new Prop(new Lit("df", span(df)), List.of(new Lit("true", span(df)))));
        }
    }

    // ---- props and literals --------------------------------------------------------------------

    /** {@code KEY VALUE} where the key word may differ from the canonical key. */
    private Prop pair(ParserRuleContext keyCtx, Map<String, String> words, ParserRuleContext valueCtx) {
        Token word = token(keyCtx);
        Lit value = lit(valueCtx);
        if (word == null || value == null) {
            return null;
        }
        String canonical = words.getOrDefault(word.getText(), word.getText());
        return new Prop(new Lit(canonical, span(word)), List.of(value));
    }

    /** A keyword standing for its own value ({@code bridge} gives kind: bridge). */
    private Prop wordProp(String key, ParserRuleContext wordCtx) {
        Token word = token(wordCtx);
        if (word == null) {
            return null;
        }
        return new Prop(new Lit(key, span(word)), List.of(new Lit(word.getText(), span(word))));
    }

    private Prop prop(String key, TerminalNode keyWord, ParserRuleContext valueCtx) {
        Lit value = lit(valueCtx);
        return value == null ? null : new Prop(key(key, keyWord), List.of(value));
    }

    /** A value whose key is implied by its place; the key is located at the value. */
    private Prop positional(String key, ParserRuleContext valueCtx) {
        Lit value = lit(valueCtx);
        return value == null ? null : new Prop(new Lit(key, value.span()), List.of(value));
    }

    private Prop flag(String key, TerminalNode keyWord, TopoParser.BoolContext bool) {
        Lit value = bool == null ? null : lit(bool);
        return new Prop(key(key, keyWord), value == null ? List.of() : List.of(value));
    }

    private Lit key(String canonical, TerminalNode word) {
        return key(canonical, word.getSymbol());
    }

    private Lit key(String canonical, Token word) {
        return new Lit(canonical, span(word));
    }

    private static void addIfValued(List<Prop> props, Prop p) {
        if (p != null && (!p.values().isEmpty() || isFlag(p))) {
            props.add(p);
        }
    }

    private static boolean isFlag(Prop p) {
        return p.name().equals("stp") || p.name().equals("hairpin") || p.name().equals("forwarding");
    }

    private List<Lit> lits(List<? extends ParserRuleContext> words) {
        List<Lit> out = new ArrayList<>();
        for (ParserRuleContext w : words) {
            Lit l = lit(w);
            if (l != null) {
                out.add(l);
            }
        }
        return out;
    }

    private Lit lit(ParserRuleContext ctx) {
        Token t = token(ctx);
        return t == null ? null : new Lit(unquote(t), span(t));
    }

    /** The single token a cleanly parsed one-word context holds, or null for recovery debris. */
    static Token token(ParserRuleContext ctx) {
        if (ctx == null || ctx.exception != null) {
            return null;
        }
        ParseTree t = ctx;
        while (t instanceof ParserRuleContext p) {
            if (p.exception != null || p.getChildCount() == 0) {
                return null;
            }
            t = p.getChild(0);
        }
        if (!(t instanceof TerminalNode leaf) || leaf instanceof ErrorNode) {
            return null;
        }
        Token tok = leaf.getSymbol();
        return tok.getTokenIndex() < 0 || tok.getType() == Token.EOF ? null : tok;
    }

    private static String unquote(Token t) {
        String s = t.getText();
        if (t.getType() != TopoLexer.STRING && t.getType() != TopoLexer.BAD_STRING) {
            return s;
        }
        int end = t.getType() == TopoLexer.STRING ? s.length() - 1 : s.length();
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < end; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < end && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
                c = s.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    private Span span(Token t) {
        return Span.of(path, t.getLine(), t.getCharPositionInLine() + 1, t.getText().length());
    }
}

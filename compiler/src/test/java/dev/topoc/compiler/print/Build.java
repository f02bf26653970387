package dev.topoc.compiler.print;

import dev.topoc.compiler.ast.ChainAst;
import dev.topoc.compiler.ast.Comment;
import dev.topoc.compiler.ast.ExpectAst;
import dev.topoc.compiler.ast.FwRuleAst;
import dev.topoc.compiler.ast.IfaceAst;
import dev.topoc.compiler.ast.LinkAst;
import dev.topoc.compiler.ast.Lit;
import dev.topoc.compiler.ast.NatAst;
import dev.topoc.compiler.ast.NodeAst;
import dev.topoc.compiler.ast.Prop;
import dev.topoc.compiler.ast.RouteAst;
import dev.topoc.compiler.ast.RuleAst;
import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Hand-built ASTs for printer tests (the front ends are written elsewhere). Spans only where a test needs them. */
final class Build {
    private Build() {}

    static Span at(int line, int column) {
        return Span.of("t.topo", line, column, 1);
    }

    static Lit lit(String text) {
        return Lit.synthetic(text);
    }

    static Prop p(String key, String... values) {
        return new Prop(lit(key), Arrays.stream(values).map(Build::lit).toList());
    }

    /** A prop whose key was written at {@code line:column}. */
    static Prop p(Span at, String key, String... values) {
        return new Prop(new Lit(key, at), Arrays.stream(values).map(Build::lit).toList());
    }

    static IfaceAst iface(String name, Prop... props) {
        return iface(Span.NONE, name, props);
    }

    static IfaceAst iface(Span at, String name, Prop... props) {
        return new IfaceAst(at, lit(name), List.of(props));
    }

    static RouteAst route(Prop... props) {
        return route(Span.NONE, props);
    }

    static RouteAst route(Span at, Prop... props) {
        return new RouteAst(at, List.of(props));
    }

    static RuleAst rule(Prop... props) {
        return new RuleAst(Span.NONE, List.of(props));
    }

    static NatAst nat(Prop... props) {
        return nat(Span.NONE, props);
    }

    static NatAst nat(Span at, Prop... props) {
        return new NatAst(at, List.of(props));
    }

    static FwRuleAst fw(Prop... props) {
        return fw(Span.NONE, props);
    }

    static FwRuleAst fw(Span at, Prop... props) {
        return new FwRuleAst(at, List.of(props));
    }

    static ChainAst chain(String name, List<Prop> props, FwRuleAst... rules) {
        return chain(Span.NONE, name, props, rules);
    }

    static ChainAst chain(Span at, String name, List<Prop> props, FwRuleAst... rules) {
        return new ChainAst(at, lit(name), props, List.of(rules));
    }

    static LinkAst link(String a, String b, Prop... props) {
        return link(Span.NONE, a, b, props);
    }

    static LinkAst link(Span at, String a, String b, Prop... props) {
        return new LinkAst(at, lit(a), lit(b), List.of(props));
    }

    static ExpectAst expect(Prop... props) {
        return expect(Span.NONE, props);
    }

    static ExpectAst expect(Span at, Prop... props) {
        return new ExpectAst(at, List.of(props));
    }

    static Comment comment(int line, int column, String text) {
        return new Comment(text, at(line, column));
    }

    static NodeBuilder node(String name) {
        return new NodeBuilder(Span.NONE, name);
    }

    static NodeBuilder node(Span at, String name) {
        return new NodeBuilder(at, name);
    }

    static TopologyBuilder topology(String name) {
        return new TopologyBuilder(name == null ? null : lit(name));
    }

    static TopologyBuilder topology(Span at, String name) {
        return new TopologyBuilder(new Lit(name, at));
    }

    static final class NodeBuilder {
        private final Span at;
        private final String name;
        private final List<Prop> props = new ArrayList<>();
        private final List<IfaceAst> interfaces = new ArrayList<>();
        private final List<RouteAst> routes = new ArrayList<>();
        private final List<RuleAst> rules = new ArrayList<>();
        private final List<NatAst> nat = new ArrayList<>();
        private final List<ChainAst> firewall = new ArrayList<>();

        NodeBuilder(Span at, String name) {
            this.at = at;
            this.name = name;
        }

        NodeBuilder prop(Prop... ps) {
            props.addAll(List.of(ps));
            return this;
        }

        NodeBuilder iface(IfaceAst... is) {
            interfaces.addAll(List.of(is));
            return this;
        }

        NodeBuilder route(RouteAst... rs) {
            routes.addAll(List.of(rs));
            return this;
        }

        NodeBuilder rule(RuleAst... rs) {
            rules.addAll(List.of(rs));
            return this;
        }

        NodeBuilder nat(NatAst... ns) {
            nat.addAll(List.of(ns));
            return this;
        }

        NodeBuilder chain(ChainAst... cs) {
            firewall.addAll(List.of(cs));
            return this;
        }

        NodeAst build() {
            return new NodeAst(at, new Lit(name, at), props, interfaces, routes, rules, nat, firewall);
        }
    }

    static final class TopologyBuilder {
        private final Lit name;
        private final List<NodeAst> nodes = new ArrayList<>();
        private final List<LinkAst> links = new ArrayList<>();
        private final List<ExpectAst> expects = new ArrayList<>();
        private final List<Comment> comments = new ArrayList<>();

        TopologyBuilder(Lit name) {
            this.name = name;
        }

        TopologyBuilder node(NodeBuilder... ns) {
            for (NodeBuilder n : ns) {
                nodes.add(n.build());
            }
            return this;
        }

        TopologyBuilder link(LinkAst... ls) {
            links.addAll(List.of(ls));
            return this;
        }

        TopologyBuilder expect(ExpectAst... es) {
            expects.addAll(List.of(es));
            return this;
        }

        TopologyBuilder comment(Comment... cs) {
            comments.addAll(List.of(cs));
            return this;
        }

        TopologyAst build() {
            return new TopologyAst(Span.NONE, Syntax.DSL, name, nodes, links, expects, comments);
        }
    }

    /** The topology of LANGUAGE.md §2 and §3. */
    static TopologyAst dockerBridge() {
        return topology("docker-bridge")
                .node(node("docker")
                        .prop(p("forwarding"))
                        .iface(iface("ens41", p("kind", "physical"), p("addresses", "192.168.54.230/24")),
                                iface("docker0", p("kind", "bridge"), p("addresses", "172.17.0.1/16")),
                                iface("veth-nginx", p("master", "docker0")))
                        .route(route(p("to", "default"), p("via", "192.168.54.51"), p("dev", "ens41")))
                        .nat(nat(p("type", "masquerade"), p("from", "172.17.0.0/16"), p("out", "!docker0")),
                                nat(p("type", "dnat"), p("proto", "tcp"), p("port", "8080"),
                                        p("to", "172.17.10.10:80"))),
                        node("nginx")
                                .iface(iface("eth0", p("addresses", "172.17.10.10/16")))
                                .route(route(p("to", "default"), p("via", "172.17.0.1"))),
                        node("upstream")
                                .prop(p("kind", "external"))
                                .iface(iface("eth0", p("addresses", "192.168.54.51/24")),
                                        iface("lo", p("addresses", "192.0.2.53/32"))))
                .link(link("nginx:eth0", "docker:veth-nginx"),
                        link("docker:ens41", "upstream:eth0", p("mtu", "1500")))
                .expect(expect(p("from", "nginx"), p("to", "192.0.2.53"), p("reach", "true")),
                        expect(p("from", "upstream"), p("to", "192.168.54.230"), p("proto", "tcp"),
                                p("port", "8080"), p("reach", "true"), p("lands", "nginx")))
                .build();
    }
}

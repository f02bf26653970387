package dev.topoc.live.read;

import dev.topoc.compiler.ast.ChainAst;
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
import dev.topoc.compiler.model.Chain;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.CtState;
import dev.topoc.compiler.model.FwRule;
import dev.topoc.compiler.model.IfCommon;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.NatRule;
import dev.topoc.compiler.model.NatType;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.RouteType;
import dev.topoc.compiler.model.Rule;
import dev.topoc.compiler.model.Topology;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A resolved model back into the AST the compiler's printers lay out ({@code DslPrinter}, {@code YamlPrinter}),
 * for {@code topoc import}: one prop per model field that differs from the language's default, so the file says
 * only what the resolver would not fill in by itself. Resolving the result gives the same model back.
 */
public final class AstWriter {
    private AstWriter() {}

    public static TopologyAst write(Topology model, Syntax syntax) {
        List<NodeAst> nodes = model.nodes().stream().map(AstWriter::node).toList();
        List<LinkAst> links = model.links().stream().map(AstWriter::link).toList();
        return new TopologyAst(Span.NONE, syntax, lit(model.name()), nodes, links, List.of(), List.of());
    }

    private static Lit lit(String text) {
        return Lit.synthetic(text);
    }

    private static Prop prop(String key, String... values) {
        return new Prop(lit(key), java.util.Arrays.stream(values).map(AstWriter::lit).toList());
    }

    private static Prop flag(String key) {
        return new Prop(lit(key), List.of());
    }

    private static NodeAst node(Node n) {
        List<Prop> props = new ArrayList<>();
        if (n.kind() != NodeKind.NETNS) {
            props.add(prop("kind", n.kind().word()));
        }
        if (n.machine().isPresent()) {
            props.add(prop("machine", n.machine().get()));
        }
        if (n.forwarding()) {
            props.add(flag("forwarding"));
        }
        n.sysctl().forEach((k, v) -> props.add(prop("sysctl", k, v)));
        List<IfaceAst> ifaces = n.interfaces().stream()
                .filter(i -> i.ifKind() != IfKind.LOOPBACK || !isBare(i.common()))
                .map(AstWriter::iface).toList();
        return new NodeAst(Span.NONE, lit(n.name()), props, ifaces, n.routes().stream().map(AstWriter::route).toList(),
                n.rules().stream().map(AstWriter::rule).toList(), n.nat().stream().map(AstWriter::nat).toList(),
                n.firewall().stream().map(AstWriter::chain).toList());
    }

    private static boolean isBare(IfCommon c) {
        return c.addresses().isEmpty() && c.mtu() == null && c.mac() == null && c.up();
    }

    private static IfaceAst iface(Interface i) {
        List<Prop> props = new ArrayList<>();
        boolean writesKind = switch (i.ifKind()) {
            case VETH, LOOPBACK -> false;
            case BRIDGE, VLAN, VXLAN, MACVLAN, IPVLAN, PHYSICAL, DUMMY, TUN, TAP -> true;
        };
        if (writesKind) {
            props.add(prop("kind", i.kind()));
        }
        i.accept(new Interface.Cases<Void>() {
            @Override public Void veth(Interface.Veth v) { return null; }
            @Override public Void bridge(Interface.Bridge b) {
                if (b.stp()) {
                    props.add(flag("stp"));
                }
                return null;
            }
            @Override public Void vlan(Interface.Vlan v) {
                props.add(prop("parent", parent(i, v.parent())));
                props.add(prop("id", Integer.toString(v.id())));
                return null;
            }
            @Override public Void vxlan(Interface.Vxlan x) {
                props.add(prop("vni", Long.toString(x.vni())));
                optIp(props, "local", x.local());
                optIp(props, "remote", x.remote());
                optIp(props, "group", x.group());
                if (x.dev() != null) {
                    props.add(prop("dev", x.dev()));
                }
                if (x.port() != dev.topoc.compiler.resolve.Resolver.VXLAN_DEFAULT_PORT) {
                    props.add(prop("port", Integer.toString(x.port())));
                }
                return null;
            }
            @Override public Void macvlan(Interface.Macvlan m) {
                props.add(prop("parent", parent(i, m.parent())));
                props.add(prop("mode", m.mode().word()));
                return null;
            }
            @Override public Void ipvlan(Interface.Ipvlan p) {
                props.add(prop("parent", parent(i, p.parent())));
                props.add(prop("mode", p.mode().word()));
                if (p.flag() != null) {
                    props.add(prop("flag", p.flag().word()));
                }
                return null;
            }
            @Override public Void physical(Interface.Physical p) { return null; }
            @Override public Void dummy(Interface.Dummy d) { return null; }
            @Override public Void tun(Interface.Tun t) { return null; }
            @Override public Void tap(Interface.Tap t) { return null; }
            @Override public Void loopback(Interface.Loopback l) { return null; }
        });
        IfCommon c = i.common();
        if (!c.addresses().isEmpty()) {
            props.add(prop("addresses", c.addresses().stream().map(Cidr::toString).toArray(String[]::new)));
        }
        if (c.mtu() != null) {
            props.add(prop("mtu", Integer.toString(c.mtu())));
        }
        if (c.mac() != null) {
            props.add(prop("mac", c.mac()));
        }
        if (c.master() != null) {
            props.add(prop("master", c.master()));
        }
        if (c.hairpin()) {
            props.add(flag("hairpin"));
        }
        if (!c.up()) {
            props.add(prop("up", "false"));
        }
        return new IfaceAst(Span.NONE, lit(i.name()), props);
    }

    private static String parent(Interface i, IfRef parent) {
        return parent.node().equals(i.node()) ? parent.iface() : parent.toString();
    }

    private static void optIp(List<Prop> props, String key, IPAddress a) {
        if (a != null) {
            props.add(prop(key, a.toCanonicalString()));
        }
    }

    private static LinkAst link(Link l) {
        List<Prop> props = new ArrayList<>();
        if (l.mtu() != null) {
            props.add(prop("mtu", Integer.toString(l.mtu())));
        }
        if (l.subnet() != null) {
            props.add(prop("subnet", l.subnet().toString()));
        }
        return new LinkAst(Span.NONE, lit(l.a().toString()), lit(l.b().toString()), props);
    }

    private static RouteAst route(Route r) {
        List<Prop> props = new ArrayList<>();
        if (r.type() != null && r.type() != RouteType.UNICAST) {
            props.add(prop("type", r.type().word()));
        }
        props.add(prop("to", r.isDefault() && r.to().isIpv4() ? "default" : r.to().toString()));
        optIp(props, "via", r.via());
        if (r.dev() != null) {
            props.add(prop("dev", r.dev()));
        }
        if (r.metric() != null) {
            props.add(prop("metric", Integer.toString(r.metric())));
        }
        if (r.table() != null && !r.table().equals("main")) {
            props.add(prop("table", r.table()));
        }
        optIp(props, "src", r.src());
        return new RouteAst(Span.NONE, props);
    }

    private static RuleAst rule(Rule r) {
        List<Prop> props = new ArrayList<>();
        if (r.priority() != null) {
            props.add(prop("priority", Integer.toString(r.priority())));
        }
        if (r.from() != null) {
            props.add(prop("from", r.from().toString()));
        }
        if (r.to() != null) {
            props.add(prop("to", r.to().toString()));
        }
        if (r.iif() != null) {
            props.add(prop("iif", r.iif()));
        }
        if (r.oif() != null) {
            props.add(prop("oif", r.oif()));
        }
        if (r.fwmark() != null) {
            props.add(prop("fwmark", Long.toString(r.fwmark())));
        }
        props.add(prop("table", r.table()));
        return new RuleAst(Span.NONE, props);
    }

    private static NatAst nat(NatRule n) {
        List<Prop> props = new ArrayList<>();
        props.add(prop("type", n.type().word()));
        if (n.proto() != null) {
            props.add(prop("proto", n.proto().word()));
        }
        if (n.port() != null) {
            props.add(prop("port", n.port().toString()));
        }
        if (n.from() != null) {
            props.add(prop("from", n.from().toString()));
        }
        optIp(props, "dst", n.dst());
        if (n.in() != null) {
            props.add(prop("in", n.in().toString()));
        }
        if (n.out() != null) {
            props.add(prop("out", n.out().toString()));
        }
        if (n.toAddress() != null) {
            String to = n.toAddress().toCanonicalString();
            if (n.toPort() != null) {
                to = (n.toAddress().isIPv6() ? "[" + to + "]" : to) + ":" + n.toPort();
            }
            props.add(prop("to", to));
        } else if (n.type() != NatType.MASQUERADE) {
            throw new IllegalArgumentException("a " + n.type().word() + " entry without a target");
        }
        return new NatAst(Span.NONE, props);
    }

    private static ChainAst chain(Chain c) {
        return new ChainAst(Span.NONE, lit(c.name().word()), List.of(prop("policy", c.policy().word())),
                c.rules().stream().map(AstWriter::fwRule).toList());
    }

    private static FwRuleAst fwRule(FwRule r) {
        List<Prop> props = new ArrayList<>();
        props.add(prop("action", r.action().word()));
        if (r.proto() != null) {
            props.add(prop("proto", r.proto().word()));
        }
        if (r.from() != null) {
            props.add(prop("from", r.from().toString()));
        }
        if (r.to() != null) {
            props.add(prop("to", r.to().toString()));
        }
        if (r.sport() != null) {
            props.add(prop("sport", r.sport().toString()));
        }
        if (r.dport() != null) {
            props.add(prop("dport", r.dport().toString()));
        }
        if (r.iif() != null) {
            props.add(prop("iif", r.iif()));
        }
        if (r.oif() != null) {
            props.add(prop("oif", r.oif()));
        }
        if (!r.state().isEmpty()) {
            props.add(prop("state", r.state().stream().sorted().map(CtState::word).toArray(String[]::new)));
        }
        return new FwRuleAst(Span.NONE, props);
    }
}

package dev.topoc.compiler.ast;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/**
 * A node block. {@code props} holds {@code kind}, {@code machine}, {@code forwarding} and one
 * {@code sysctl} prop per key (values: key, value).
 */
public record NodeAst(
        Span span,
        Lit name,
        List<Prop> props,
        List<IfaceAst> interfaces,
        List<RouteAst> routes,
        List<RuleAst> rules,
        List<NatAst> nat,
        List<ChainAst> firewall) implements Entry {
    public NodeAst {
        props = List.copyOf(props);
        interfaces = List.copyOf(interfaces);
        routes = List.copyOf(routes);
        rules = List.copyOf(rules);
        nat = List.copyOf(nat);
        firewall = List.copyOf(firewall);
    }
}

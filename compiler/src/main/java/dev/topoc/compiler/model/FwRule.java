package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;
import java.util.Set;

/** A firewall rule: a verdict and nullable matches ({@code state} empty: any). */
public record FwRule(Span span, Action action, Proto proto, Cidr from, Cidr to, PortRange sport, PortRange dport,
        String iif, String oif, Set<CtState> state) {
    public FwRule {
        state = Set.copyOf(state);
    }
}

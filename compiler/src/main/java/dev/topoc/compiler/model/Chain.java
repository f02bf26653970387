package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/** A filter chain: rules in order, then the policy. */
public record Chain(Span span, ChainName name, Action policy, List<FwRule> rules) {
    public Chain {
        rules = List.copyOf(rules);
    }
}

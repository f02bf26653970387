package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Chain;
import dev.topoc.compiler.model.ChainName;
import dev.topoc.compiler.model.NatRule;
import dev.topoc.compiler.model.NatType;
import dev.topoc.compiler.model.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * NAT entries and forward-chain rules act on packets the node forwards; on a node that does not forward
 * they never see such a packet (a DNAT to the node's own address is the exception). One warning per
 * node, at its first such entry, with the others as notes.
 */
final class NatForwardingRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        for (Node n : facts.topology.nodes()) {
            if (Facts.forwards(n, false)) {
                continue;
            }
            List<Span> places = new ArrayList<>();
            for (NatRule r : n.nat()) {
                if (r.type() != NatType.DNAT || r.toAddress() == null || !Facts.ownAddress(n, r.toAddress())) {
                    places.add(r.span());
                }
            }
            n.chain(ChainName.FORWARD).filter(c -> !c.rules().isEmpty()).map(Chain::span).ifPresent(places::add);
            if (places.isEmpty()) {
                continue;
            }
            List<Diagnostic.Note> notes = new ArrayList<>();
            places.subList(1, places.size()).forEach(s -> notes.add(new Diagnostic.Note(s, "also needs forwarding")));
            diagnostics.add(Code.NAT_WITHOUT_FORWARDING.at(places.get(0), n.name()).withNotes(notes));
        }
    }
}

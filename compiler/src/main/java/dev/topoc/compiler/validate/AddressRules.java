package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Severity;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Topology;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The same address on two interfaces anywhere; a network or broadcast address used as a host address. */
final class AddressRules implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        Topology topology = facts.topology;
        Map<String, Interface> firstOwner = new HashMap<>();
        for (Node n : topology.nodes()) {
            for (Interface i : n.interfaces()) {
                for (Cidr c : i.addresses()) {
                    hostPart(i, c, diagnostics);
                    String key = c.address().toCanonicalString();
                    Interface first = firstOwner.putIfAbsent(key, i);
                    if (first != null && first != i) {
                        diagnostics.add(new Diagnostic(Severity.ERROR, Code.DUPLICATE_ADDRESS, i.span(),
                                "address " + key + " of `" + i.ref() + "` is also assigned to `" + first.ref()
                                        + "`; every address must be unique in the topology",
                                List.of(new Diagnostic.Note(first.span(), "first assigned here"))));
                    }
                }
            }
        }
    }

    private static void hostPart(Interface i, Cidr c, Diagnostics diagnostics) {
        if (!c.isIpv4() || c.prefixLength() > 30) {
            return;
        }
        var net = c.network();
        Span where = i.span();
        if (c.address().equals(net.getLower().withoutPrefixLength())) {
            diagnostics.error(Code.NETWORK_ADDRESS, where, c + " on `" + i.ref()
                    + "` is the network address of its subnet; use a host address such as "
                    + net.getLower().withoutPrefixLength().increment(1) + "/" + c.prefixLength());
        } else if (c.address().equals(net.getUpper().withoutPrefixLength())) {
            diagnostics.error(Code.NETWORK_ADDRESS, where, c + " on `" + i.ref()
                    + "` is the broadcast address of its subnet; use a host address");
        }
    }
}

package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Topology;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The same address on two interfaces: an error in one L2 domain (both answer ARP for it), a warning across
 * domains (two sites built from one template, each behind its own NAT, work: the simulator proves or refutes
 * each path). A subnet's broadcast address used as a host address is an error; its lowest address is ordinary
 * unicast since Linux 5.14 (the kernel no longer treats it as a broadcast), so only a warning.
 */
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
                    if (first == null || first == i) {
                        continue;
                    }
                    if (facts.domains().same(first.ref(), i.ref()) || c.address().isLoopback()) {
                        diagnostics.add(Code.DUPLICATE_ADDRESS.at(i.span(), key, i.ref(),
                                first.ref()).withNotes(List.of(new Diagnostic.Note(first.span(), "first assigned here"))));
                    } else {
                        diagnostics.add(Code.ADDRESS_IN_TWO_DOMAINS.at(i.span(), key, i.ref(),
                                first.ref()).withNotes(List.of(new Diagnostic.Note(first.span(), "first assigned here"))));
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
            diagnostics.report(Code.SUBNET_ZERO_HOST, where, c, i.ref(),
                    net.getLower().withoutPrefixLength().increment(1), c.prefixLength());
        } else if (c.address().equals(net.getUpper().withoutPrefixLength())) {
            diagnostics.report(Code.NETWORK_ADDRESS, where, c, i.ref());
        }
    }
}

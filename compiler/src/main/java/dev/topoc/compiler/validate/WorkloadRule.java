package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Msg;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Listen;
import dev.topoc.compiler.model.NatRule;
import dev.topoc.compiler.model.NatType;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Proto;
import java.util.List;

/**
 * Workloads ({@code listen}, LANGUAGE.md §5): a listen given twice, or bound to an address the node
 * does not have, is an error; a DNAT into a port where nothing listens, and a tcp/udp {@code expect …
 * reach} to a port where nothing listens, are warnings, because the kernel refuses such connections.
 */
final class WorkloadRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        for (Node n : facts.topology.nodes()) {
            listens(facts, n, diagnostics);
            for (NatRule r : n.nat()) {
                dnatTarget(facts, r, diagnostics);
            }
        }
        for (Expectation e : facts.topology.expectations()) {
            expect(facts, e, diagnostics);
        }
    }

    private static void listens(Facts facts, Node n, Diagnostics diagnostics) {
        List<Listen> listens = n.listens();
        for (int i = 0; i < listens.size(); i++) {
            Listen l = listens.get(i);
            if (l.on() != null) {
                Interface owner = facts.owner(l.on());
                if (owner == null || !owner.node().equals(n.name())) {
                    diagnostics.report(owner == null ? Msg.LISTEN_ADDRESS_OF_NONE : Msg.LISTEN_ADDRESS_OF_ANOTHER, l.span(), l,
                            l.on().toCanonicalString(), n.name(), owner == null ? null : owner.node(),
                            owner == null ? null : owner.name());
                }
            }
            for (int j = 0; j < i; j++) {
                Listen earlier = listens.get(j);
                if (overlap(earlier, l)) {
                    diagnostics.report(Code.DUPLICATE_LISTEN, l.span(), l, earlier, earlier.span().line());
                    break;
                }
            }
        }
    }

    private static boolean overlap(Listen a, Listen b) {
        return a.proto() == b.proto() && a.ports().lo() <= b.ports().hi() && b.ports().lo() <= a.ports().hi()
                && (a.on() == null || b.on() == null || a.on().equals(b.on()));
    }

    private static void dnatTarget(Facts facts, NatRule r, Diagnostics diagnostics) {
        if (r.type() != NatType.DNAT || r.toAddress() == null || r.proto() == null) {
            return;
        }
        Interface owner = facts.owner(r.toAddress());
        if (owner == null) {
            return; // DnatTargetRule's warning says it
        }
        Integer port = r.toPort() != null ? r.toPort() : r.port() != null ? Integer.valueOf(r.port().lo()) : null;
        if (port == null) {
            return;
        }
        Node target = facts.node(owner.node());
        if (target.listener(r.proto(), port, r.toAddress()).isEmpty()) {
            diagnostics.report(Code.DNAT_TARGET_NO_LISTEN, r.span(), r.toAddress().toCanonicalString(), port,
                    target.name(), r.proto().word());
        }
    }

    private static void expect(Facts facts, Expectation e, Diagnostics diagnostics) {
        if (!e.reach() || e.proto() == Proto.ICMP || e.proto() == null || e.port() == null) {
            return;
        }
        String nodeName = e.to().node();
        if (nodeName == null && e.to().address() != null) {
            Interface owner = facts.owner(e.to().address());
            nodeName = owner == null ? null : owner.node();
        }
        Node target = nodeName == null ? null : facts.node(nodeName);
        if (target == null || target.listener(e.proto(), e.port(), e.to().address()).isPresent()) {
            return;
        }
        boolean redirected = facts.topology.nodes().stream().flatMap(n -> n.nat().stream())
                .anyMatch(r -> r.type() == NatType.DNAT && (r.proto() == null || r.proto() == e.proto())
                        && (r.port() == null || r.port().contains(e.port())));
        if (redirected) {
            return; // a DNAT may carry it elsewhere; the simulator answers where it lands
        }
        String what = e.proto().word() + " " + e.port();
        diagnostics.report(Code.EXPECT_NO_LISTENER, e.span(), what, target.name());
    }
}

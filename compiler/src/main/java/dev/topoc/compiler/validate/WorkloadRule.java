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
import inet.ipaddr.IPAddress;
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

    /**
     * Whether DNAT rule {@code r} matches expect {@code e}: its protocol and port, and its destination (when it names
     * one) is the expect's address or an address of the node it aims at.
     */
    private static boolean carries(NatRule r, Expectation e, Node target) {
        if (r.type() != NatType.DNAT || r.proto() != null && r.proto() != e.proto() || r.port() != null && !r.port().contains(e.port())) {
            return false;
        }
        if (r.dst() == null) {
            return true;
        }
        IPAddress dst = r.dst().withoutPrefixLength();
        if (e.to().address() != null) {
            return e.to().address().withoutPrefixLength().equals(dst);
        }
        return target.interfaces().stream().flatMap(i -> i.addresses().stream())
                .anyMatch(c -> c.address().withoutPrefixLength().equals(dst));
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
        // a DNAT that matches this expect's protocol, port and destination may carry it to a node that listens: the
        // simulator answers where it lands. A DNAT that carries it to a node of the topology where nothing listens
        // on the port it forwards to does not excuse the expect: that is refused as well.
        NatRule refused = null;
        for (Node n : facts.topology.nodes()) {
            for (NatRule r : n.nat()) {
                if (!carries(r, e, target)) {
                    continue;
                }
                Interface owner = r.toAddress() == null ? null : facts.owner(r.toAddress());
                int port = r.toPort() != null ? r.toPort() : e.port();
                if (owner == null || facts.node(owner.node()).listener(e.proto(), port, r.toAddress()).isPresent()) {
                    return;
                }
                refused = refused == null ? r : refused;
            }
        }
        String what = e.proto().word() + " " + e.port();
        if (refused != null) {
            Node to = facts.node(facts.owner(refused.toAddress()).node());
            int port = refused.toPort() != null ? refused.toPort() : e.port();
            diagnostics.report(Msg.NO_LISTENER_BEHIND_DNAT, e.span(), refused.span().line(), what,
                    refused.toAddress().toCanonicalString(), port, to.name(), e.proto().word());
            return;
        }
        diagnostics.report(Msg.NO_LISTENER, e.span(), what, target.name());
    }
}

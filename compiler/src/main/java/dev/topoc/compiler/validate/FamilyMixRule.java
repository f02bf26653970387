package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Msg;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.FwRule;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.NatRule;
import dev.topoc.compiler.model.NatType;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.Rule;
import inet.ipaddr.IPAddress;

/**
 * IPv4 and IPv6 mixed where one family is required (the resolver already checks a route's {@code via}):
 * a VXLAN's {@code local}, {@code remote} and {@code group}; a route's {@code src}; a NAT entry's
 * addresses; the {@code from} and {@code to} of a policy rule or firewall rule.
 */
final class FamilyMixRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        for (Node n : facts.topology.nodes()) {
            for (Interface.Vxlan x : n.interfaces(Interface.Vxlan.class)) {
                IPAddress peer = x.remote() != null ? x.remote() : x.group();
                mix(x.local(), "local", peer, x.remote() != null ? "remote" : "group", x.span(),
                        "vxlan `" + x.ref() + "`", diagnostics);
            }
            for (Route r : n.routes()) {
                mix(r.src(), "src", r.to().address(), "destination " + r.to(), r.span(), "this route", diagnostics);
            }
            for (Rule r : n.rules()) {
                mix(address(r.from()), "from " + r.from(), address(r.to()), "to " + r.to(), r.span(), "this rule", diagnostics);
            }
            for (NatRule r : n.nat()) {
                IPAddress match = r.type() == NatType.DNAT ? r.dst() : address(r.from());
                String matchWord = r.type() == NatType.DNAT ? "dst " + r.dst() : "from " + r.from();
                mix(r.toAddress(), "to", match, matchWord, r.span(), "this " + r.type().word() + " entry", diagnostics);
            }
            n.firewall().forEach(c -> {
                for (FwRule r : c.rules()) {
                    mix(address(r.from()), "from " + r.from(), address(r.to()), "to " + r.to(), r.span(),
                            "this firewall rule", diagnostics);
                }
            });
        }
    }

    private static IPAddress address(Cidr c) {
        return c == null ? null : c.address();
    }

    private static void mix(IPAddress a, String aWord, IPAddress b, String bWord, Span where, String what,
            Diagnostics diagnostics) {
        if (a == null || b == null || a.isIPv4() == b.isIPv4()) {
            return;
        }
        diagnostics.report(Msg.MIXES_IPV4_IPV6_DIFFERENT, where, what, shown(aWord, a), shown(bWord, b));
    }

    /** A key with its value ({@code from 10.0.0.0/24}) as it is, a bare key ({@code to}) with its address. */
    private static String shown(String word, IPAddress address) {
        return word.contains(" ") ? word : String.join(" ", word, address.toCanonicalString());
    }
}

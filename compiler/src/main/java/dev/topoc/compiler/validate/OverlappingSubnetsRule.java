package dev.topoc.compiler.validate;

import dev.topoc.compiler.analysis.L2Domains;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two L2 domains whose subnets overlap: a host of one domain takes the overlap for on-link and ARPs for
 * it, so it never reaches the other domain's addresses there. Subnets go into a prefix trie; each is
 * compared with the subnets containing it (at most one per prefix length), so the check is near-linear.
 * Host addresses (/32, /128), loopback and link-local addresses define no shared subnet and are skipped;
 * one subnet on two interfaces of one node is {@link SameSubnetOnNodeRule}'s.
 */
final class OverlappingSubnetsRule implements Validator.Rule {
    /** One subnet and, per L2 domain using it, the first interface there. */
    private record Entry(Cidr subnet, Map<Integer, Interface> byDomain) {}

    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        PrefixTable<Entry> table = new PrefixTable<>();
        List<Entry> entries = new ArrayList<>();
        L2Domains domains = facts.domains();
        for (Node n : facts.topology.nodes()) {
            for (Interface i : n.interfaces()) {
                for (Cidr c : i.addresses()) {
                    if (!Facts.isSubnetAddress(c) || c.prefixLength() >= (c.isIpv4() ? 32 : 128)) {
                        continue;
                    }
                    Entry fresh = new Entry(c.networkCidr(), new LinkedHashMap<>());
                    Entry e = table.putIfAbsent(c.network(), fresh);
                    if (e == fresh) {
                        entries.add(e);
                    }
                    e.byDomain().putIfAbsent(domains.of(i.ref()), i);
                }
            }
        }
        for (Entry e : entries) {
            sameSubnet(e, diagnostics);
            for (Entry wider : table.containing(e.subnet().network())) {
                if (wider != e) {
                    nested(e, wider, diagnostics);
                }
            }
        }
    }

    private static void sameSubnet(Entry e, Diagnostics diagnostics) {
        Interface first = null;
        for (Interface i : e.byDomain().values()) {
            if (first == null) {
                first = i;
            } else if (!i.node().equals(first.node())) {
                report(i, e.subnet(), first, e.subnet(), diagnostics);
            }
        }
    }

    private static void nested(Entry inner, Entry wider, Diagnostics diagnostics) {
        for (var d : inner.byDomain().entrySet()) {
            Interface other = wider.byDomain().entrySet().stream().filter(w -> !w.getKey().equals(d.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (other != null) {
                report(d.getValue(), inner.subnet(), other, wider.subnet(), diagnostics);
            }
        }
    }

    private static void report(Interface here, Cidr mine, Interface there, Cidr theirs, Diagnostics diagnostics) {
        String same = mine.toString().equals(theirs.toString()) ? "is also used by" : "overlaps " + theirs + " of";
        diagnostics.add(Code.OVERLAPPING_SUBNETS.at(here.span(), mine, here.ref(), same,
                there.ref()).withNotes(List.of(new Diagnostic.Note(there.span(), theirs + " is assigned here, in another L2 domain"))));
    }
}

package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import java.util.List;

/**
 * {@code expect A -> B v4|v6} (YAML {@code family}) aims at B's first address of that family; a node or interface
 * without one (loopback and link-local addresses do not count: a ping to fe80:: needs a scope) leaves the expect
 * nothing to send to, which is an error at the expect (a literal address of the other family is the resolver's
 * E0205).
 */
final class ExpectFamilyRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        for (Expectation e : facts.topology.expectations()) {
            if (e.family() == null || e.to().node() == null) {
                continue;
            }
            Node n = facts.node(e.to().node());
            if (n == null) {
                continue;
            }
            boolean v6 = e.family() == 6;
            List<Interface> where = e.to().iface() == null ? n.interfaces()
                    : n.interfaces().stream().filter(i -> i.name().equals(e.to().iface())).toList();
            boolean found = where.stream().flatMap(i -> i.addresses().stream()).anyMatch(c -> usable(c, v6));
            if (!found) {
                diagnostics.report(Code.EXPECT_FAMILY_NO_ADDRESS, e.span(), e.to(), e.family(), v6 ? 4 : 6);
            }
        }
    }

    private static boolean usable(Cidr c, boolean v6) {
        return c.address().isIPv6() == v6 && !c.address().isLoopback() && !c.address().isLinkLocal();
    }
}

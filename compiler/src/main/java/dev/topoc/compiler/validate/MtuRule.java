package dev.topoc.compiler.validate;

import dev.topoc.compiler.analysis.Analysis;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;

/**
 * MTUs that lose packets: a link whose two ends differ (the larger end sends frames the smaller one drops
 * without an error), and a VXLAN whose MTU plus the {@link Analysis#VXLAN_OVERHEAD} bytes of encapsulation does
 * not fit its underlay device. MTUs are the kernel's ({@link Analysis#mtu}: declared, else the kind's default).
 */
final class MtuRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        Analysis a = Analysis.of(facts.topology);
        for (Link l : facts.topology.links()) {
            Interface x = facts.iface(l.a());
            Interface y = facts.iface(l.b());
            if (x == null || y == null || a.mtu(x) == a.mtu(y)) {
                continue;
            }
            diagnostics.report(Code.LINK_MTU_MISMATCH, l.span(), x.ref(), a.mtu(x), y.ref(), a.mtu(y));
        }
        for (Node n : facts.topology.nodes()) {
            for (Interface.Vxlan v : n.interfaces(Interface.Vxlan.class)) {
                Interface under = v.dev() == null ? null : facts.iface(new IfRef(n.name(), v.dev()));
                if (under == null || a.mtu(v) + Analysis.VXLAN_OVERHEAD <= a.mtu(under)) {
                    continue;
                }
                diagnostics.report(Code.VXLAN_UNDERLAY_MTU, v.span(), v.ref(), a.mtu(v), Analysis.VXLAN_OVERHEAD, (a.mtu(v)
                        + Analysis.VXLAN_OVERHEAD), a.mtu(under), under.ref(), (a.mtu(under) - Analysis.VXLAN_OVERHEAD));
            }
        }
    }
}

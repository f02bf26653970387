package dev.topoc.compiler.validate;

import dev.topoc.compiler.analysis.Analysis;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Severity;
import dev.topoc.compiler.machines.Stitching;
import dev.topoc.compiler.machines.Tunnel;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Machine;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Machines (docs/machines.md): placement (E1001, E1007), the machines' addresses (E1002), the links that cross
 * machines (E1003, E1008, E1006) and their tunnels (E1004 VNI clashes, E1005 the MTU budget).
 */
final class MachineRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        var t = facts.topology;
        if (t.machines().isEmpty()) {
            t.links().forEach(l -> tunnelKeysUnused(l, diagnostics, "the topology has no machines"));
            return;
        }
        Map<String, Machine> machines = new HashMap<>();
        t.machines().forEach(m -> machines.put(m.name(), m));
        Map<String, Node> roots = new HashMap<>();
        for (Node n : t.nodes()) {
            if (n.machine().isEmpty() && n.kind() != NodeKind.EXTERNAL) {
                diagnostics.error(Code.MACHINE_NOT_PLACED, n.span(), "node `" + n.name() + "` is on no machine, and "
                        + "every " + (n.kind() == NodeKind.ROOT ? "root node (a machine's own default namespace)" : "node")
                        + " of a topology with machines must name one: add `machine "
                        + t.machines().get(0).name() + "` (machines: " + String.join(", ", machines.keySet()) + ")");
            }
            if (n.kind() == NodeKind.ROOT && n.machine().isPresent()) {
                Node first = roots.putIfAbsent(n.machine().get(), n);
                if (first != null) {
                    diagnostics.add(new Diagnostic(Severity.ERROR, Code.MACHINE_TWO_ROOTS, n.span(), "root nodes `"
                            + first.name() + "` and `" + n.name() + "` are both machine `" + n.machine().get()
                            + "`'s default namespace; merge them into one node",
                            List.of(new Diagnostic.Note(first.span(), "`" + first.name() + "` is on `"
                                    + n.machine().get() + "` too"))));
                }
            }
        }
        Map<String, Machine> ssh = new HashMap<>();
        Map<String, Machine> underlay = new HashMap<>();
        for (Machine m : t.machines()) {
            if (m.ssh() != null) {
                sameAddress(m, ssh.putIfAbsent(m.ssh().toLowerCase(Locale.ROOT), m), "ssh", m.ssh(), diagnostics);
            }
            m.underlay().ifPresent(u -> sameAddress(m, underlay.putIfAbsent(Analysis.addressKey(u), m), "underlay",
                    u.toCanonicalString(), diagnostics));
        }
        Map<String, String> place = Stitching.placement(t);
        for (Link l : t.links()) {
            if (!Stitching.crosses(t, place, l)) {
                tunnelKeysUnused(l, diagnostics, "both its ends are on machine `" + place.get(l.a().node()) + "`");
                continue;
            }
            Machine ma = machines.get(place.get(l.a().node()));
            Machine mb = machines.get(place.get(l.b().node()));
            for (Machine m : List.of(ma, mb)) {
                if (m.underlay().isEmpty()) {
                    diagnostics.add(new Diagnostic(Severity.ERROR, Code.MACHINE_NO_UNDERLAY, l.span(), "link `" + l.a()
                            + " -- " + l.b() + "` crosses from `" + ma.name() + "` to `" + mb.name() + "`, but machine `"
                            + m.name() + "` has no `underlay` for the tunnel to leave from: add `underlay ADDRESS` to it",
                            List.of(new Diagnostic.Note(m.span(), "machine `" + m.name() + "` is declared here"))));
                }
            }
            if (ma.underlay().isPresent() && mb.underlay().isPresent()
                    && ma.underlay().get().isIPv4() != mb.underlay().get().isIPv4()) {
                diagnostics.add(new Diagnostic(Severity.ERROR, Code.MACHINE_UNDERLAY_FAMILY, l.span(), "link `" + l.a()
                        + " -- " + l.b() + "` crosses between `" + ma.name() + "` (underlay "
                        + ma.underlay().get().toCanonicalString() + ") and `" + mb.name() + "` (underlay "
                        + mb.underlay().get().toCanonicalString() + "): a VXLAN tunnel needs two underlays of one family",
                        List.of()));
            }
        }
        List<Tunnel> tunnels = Stitching.tunnels(t).stream()
                .filter(x -> x.ma().underlay().get().isIPv4() == x.mb().underlay().get().isIPv4()).toList();
        Map<String, Tunnel> ownVnis = new HashMap<>();
        for (Tunnel x : tunnels) {
            budget(facts, x, diagnostics);
            if (x.link().vni() == null) {
                continue;
            }
            Tunnel earlier = ownVnis.putIfAbsent(x.vni() + "/" + x.port(), x);
            if (earlier != null) {
                diagnostics.add(new Diagnostic(Severity.ERROR, Code.MACHINE_VNI_CLASH, x.link().span(), "links `"
                        + earlier.link().a() + " -- " + earlier.link().b() + "` and `" + x.link().a() + " -- "
                        + x.link().b() + "` both ask for VNI " + x.vni() + " on port " + x.port()
                        + ": give one another `vni`, or leave it out to have one allocated",
                        List.of(new Diagnostic.Note(earlier.link().span(), "VNI " + x.vni() + " first asked for here"))));
            }
            for (Node n : t.nodes()) {
                for (Interface.Vxlan v : n.interfaces(Interface.Vxlan.class)) {
                    if (v.vni() == x.vni() && v.port() == x.port()) {
                        diagnostics.add(new Diagnostic(Severity.ERROR, Code.MACHINE_VNI_CLASH, x.link().span(), "link `"
                                + x.link().a() + " -- " + x.link().b() + "` asks for VNI " + x.vni() + " on port "
                                + x.port() + ", which vxlan `" + v.ref() + "` uses: the underlay would mix their "
                                + "frames; give the link another `vni`, or leave it out to have one allocated",
                                List.of(new Diagnostic.Note(v.span(), "vxlan `" + v.ref() + "` has VNI " + v.vni()))));
                    }
                }
            }
        }
    }

    private static void sameAddress(Machine m, Machine first, String key, String address, Diagnostics diagnostics) {
        if (first == null) {
            return;
        }
        diagnostics.add(new Diagnostic(Severity.ERROR, Code.MACHINE_DUPLICATE_ADDRESS, m.span(), "machines `"
                + first.name() + "` and `" + m.name() + "` have the same `" + key + "` " + address
                + ": each machine has its own address; correct one of them",
                List.of(new Diagnostic.Note(first.span(), "`" + first.name() + "` has " + key + " " + address))));
    }

    private static void tunnelKeysUnused(Link l, Diagnostics diagnostics, String why) {
        if (l.vni() == null && l.port() == null) {
            return;
        }
        diagnostics.error(Code.MACHINE_TUNNEL_KEY_UNUSED, l.span(), "link `" + l.a() + " -- " + l.b() + "` sets `"
                + (l.vni() != null ? "vni" : "port") + "`, which only a link between two machines uses (it becomes a "
                + "VXLAN tunnel), and " + why + ": remove it");
    }

    /** The tunnel's inner MTU: the link's `mtu` and each end's own `mtu` must fit the budget. */
    private static void budget(Facts facts, Tunnel x, Diagnostics diagnostics) {
        String why = "the tunnel between `" + x.ma().name() + "` and `" + x.mb().name() + "` carries at most "
                + x.budget() + " bytes (underlay MTU " + Math.min(x.ma().mtu(), x.mb().mtu()) + " less "
                + Stitching.overhead(x.ma().underlay().get()) + " of VXLAN overhead)";
        if (x.link().mtu() != null && x.link().mtu() > x.budget()) {
            diagnostics.error(Code.MACHINE_MTU_BUDGET, x.link().span(), "link `" + x.link().a() + " -- " + x.link().b()
                    + "` asks for MTU " + x.link().mtu() + ", but " + why + ": the largest MTU that fits is "
                    + x.budget() + " (use `mtu " + x.budget() + "` or leave it out to get it)");
        }
        for (IfRef end : List.of(x.a(), x.b())) {
            Optional<Interface> i = facts.topology.iface(end);
            Integer own = i.map(j -> j.common().mtu()).orElse(null);
            if (own != null && own > x.budget()) {
                diagnostics.error(Code.MACHINE_MTU_BUDGET, i.get().span(), "interface `" + end + "` asks for MTU " + own
                        + ", but it is an end of link `" + x.link().a() + " -- " + x.link().b() + "`, and " + why
                        + ": the largest MTU that fits is " + x.budget());
            }
        }
    }
}

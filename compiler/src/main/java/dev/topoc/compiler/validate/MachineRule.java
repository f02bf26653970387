package dev.topoc.compiler.validate;

import dev.topoc.compiler.analysis.Analysis;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Msg;
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
            t.links().forEach(l -> tunnelKeysUnused(l, diagnostics, Msg.TUNNEL_KEY_NO_MACHINES));
            return;
        }
        Map<String, Machine> machines = new HashMap<>();
        t.machines().forEach(m -> machines.put(m.name(), m));
        Map<String, Node> roots = new HashMap<>();
        for (Node n : t.nodes()) {
            if (n.machine().isEmpty() && n.kind() != NodeKind.EXTERNAL) {
                diagnostics.report(n.kind() == NodeKind.ROOT ? Msg.ROOT_NOT_PLACED : Msg.NODE_NOT_PLACED, n.span(),
                        n.name(), t.machines().get(0).name(), String.join(", ", machines.keySet()));
            }
            if (n.kind() == NodeKind.ROOT && n.machine().isPresent()) {
                Node first = roots.putIfAbsent(n.machine().get(), n);
                if (first != null) {
                    diagnostics.add(Code.MACHINE_TWO_ROOTS.at(n.span(), first.name(), n.name(), n.machine().get())
                            .withNotes(List.of(new Diagnostic.Note(first.span(), "`" + first.name() + "` is on `"
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
                tunnelKeysUnused(l, diagnostics, Msg.TUNNEL_KEY_ONE_MACHINE, place.get(l.a().node()));
                continue;
            }
            Machine ma = machines.get(place.get(l.a().node()));
            Machine mb = machines.get(place.get(l.b().node()));
            for (Machine m : List.of(ma, mb)) {
                if (m.underlay().isEmpty()) {
                    diagnostics.add(Code.MACHINE_NO_UNDERLAY.at(l.span(), l.a(), l.b(), ma.name(), mb.name(), m.name())
                            .withNotes(List.of(new Diagnostic.Note(m.span(),
                                    "machine `" + m.name() + "` is declared here"))));
                }
            }
            if (ma.underlay().isPresent() && mb.underlay().isPresent()
                    && ma.underlay().get().isIPv4() != mb.underlay().get().isIPv4()) {
                diagnostics.report(Code.MACHINE_UNDERLAY_FAMILY, l.span(), l.a(), l.b(), ma.name(),
                        ma.underlay().get().toCanonicalString(), mb.name(), mb.underlay().get().toCanonicalString());
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
                diagnostics.add(Msg.VNI_CLASH_LINKS.at(x.link().span(), earlier.link().a(), earlier.link().b(),
                        x.link().a(), x.link().b(), x.vni(), x.port())
                        .withNotes(List.of(new Diagnostic.Note(earlier.link().span(),
                                "VNI " + x.vni() + " first asked for here"))));
            }
            for (Node n : t.nodes()) {
                for (Interface.Vxlan v : n.interfaces(Interface.Vxlan.class)) {
                    if (v.vni() == x.vni() && v.port() == x.port()) {
                        diagnostics.add(Msg.VNI_CLASH_VXLAN.at(x.link().span(), x.link().a(), x.link().b(), x.vni(),
                                x.port(), v.ref())
                                .withNotes(List.of(new Diagnostic.Note(v.span(),
                                        "vxlan `" + v.ref() + "` has VNI " + v.vni()))));
                    }
                }
            }
        }
    }

    private static void sameAddress(Machine m, Machine first, String key, String address, Diagnostics diagnostics) {
        if (first == null) {
            return;
        }
        diagnostics.add(Code.MACHINE_DUPLICATE_ADDRESS.at(m.span(), first.name(), m.name(), key, address)
                .withNotes(List.of(new Diagnostic.Note(first.span(),
                        "`" + first.name() + "` has " + key + " " + address))));
    }

    /** {@code why}: {@link Msg#TUNNEL_KEY_NO_MACHINES}, or {@link Msg#TUNNEL_KEY_ONE_MACHINE} and the machine. */
    private static void tunnelKeysUnused(Link l, Diagnostics diagnostics, Msg why, String... machine) {
        if (l.vni() == null && l.port() == null) {
            return;
        }
        String key = l.vni() != null ? "vni" : "port";
        if (machine.length == 0) {
            diagnostics.report(why, l.span(), l.a(), l.b(), key);
        } else {
            diagnostics.report(why, l.span(), l.a(), l.b(), key, machine[0]);
        }
    }

    /** The tunnel's inner MTU: the link's `mtu` and each end's own `mtu` must fit the budget. */
    private static void budget(Facts facts, Tunnel x, Diagnostics diagnostics) {
        int underlayMtu = Math.min(x.ma().mtu(), x.mb().mtu());
        int overhead = Stitching.overhead(x.ma().underlay().get());
        if (x.link().mtu() != null && x.link().mtu() > x.budget()) {
            diagnostics.report(Msg.MTU_BUDGET_LINK, x.link().span(), x.link().a(), x.link().b(), x.link().mtu(),
                    x.ma().name(), x.mb().name(), x.budget(), underlayMtu, overhead);
        }
        for (IfRef end : List.of(x.a(), x.b())) {
            Optional<Interface> i = facts.topology.iface(end);
            Integer own = i.map(j -> j.common().mtu()).orElse(null);
            if (own != null && own > x.budget()) {
                diagnostics.report(Msg.MTU_BUDGET_INTERFACE, i.get().span(), end, own, x.link().a(), x.link().b(),
                        x.ma().name(), x.mb().name(), x.budget(), underlayMtu, overhead);
            }
        }
    }
}

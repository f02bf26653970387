package dev.topoc.backends.sim;

import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.FwRule;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.NatRule;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.Rule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Equivalence classes of hosts for the reachability matrix. Two nodes are interchangeable when nothing in
 * the data plane can tell them apart but their own addresses, and nothing can tell those addresses apart:
 * <ol>
 * <li>both are leaf hosts: besides {@code lo} (with no extra address) only up veth/physical devices that
 *     are cabled, not bridge ports, without sub-interfaces, each in a symmetric broadcast domain;</li>
 * <li>the same configuration once each address is replaced by its network: kind, forwarding, sysctl,
 *     routes, rules, NAT, firewall, and per device its name, kind, networks and broadcast domain;</li>
 * <li>no prefix written anywhere else (routes, gateways, rules, NAT, firewall, any other node's
 *     addresses) contains some members' addresses but not the others', and no address is shared.</li>
 * </ol>
 * Then a walk between two classes answers for every pair of their members (the star topology's 1,000
 * hosts are one class: its matrix takes four walks). A class that fails condition 3 falls apart into
 * single nodes, which is always correct, only slower.
 */
final class HostClasses {
    private HostClasses() {}

    static List<List<Integer>> of(DataPlane f, List<NodeState> all) {
        Map<Flood, Integer> domains = new IdentityHashMap<>();
        Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            List<Object> sig = signature(f, all.get(i), domains);
            if (sig == null) {
                out.add(List.of(i));
            } else {
                groups.computeIfAbsent(sig, k -> new ArrayList<>()).add(i);
            }
        }
        Map<Prefix, Set<Integer>> prefixes = prefixes(all);
        for (List<Integer> g : groups.values()) {
            if (g.size() == 1 || indistinguishable(all, g, prefixes)) {
                out.add(g);
            } else {
                g.forEach(i -> out.add(List.of(i)));
            }
        }
        return out;
    }

    private static List<Object> signature(DataPlane f, NodeState n, Map<Flood, Integer> domains) {
        List<Object> sig = new ArrayList<>();
        sig.add(n.model.kind());
        sig.add(n.forwarding);
        sig.add(n.model.sysctl());
        sig.add(n.model.routes());
        sig.add(n.model.rules());
        sig.add(n.model.nat());
        sig.add(n.model.firewall());
        for (Dev d : n.devs) {
            if (d.kind == IfKind.LOOPBACK) {
                if (!d.model.addresses().isEmpty()) {
                    return null;
                }
                continue;
            }
            if (!d.cableEnd() || !d.up || d.peer == null || d.master != null
                    || !d.vlans.isEmpty() || !d.macvlans.isEmpty() || !d.ipvlans.isEmpty() || d.hairpin) {
                return null;
            }
            Flood fl = f.segments.flood(d);
            if (!fl.symmetric) {
                return null;
            }
            sig.add(d.name);
            sig.add(d.kind);
            sig.add(d.model.addresses().stream().map(Cidr::networkCidr).toList());
            sig.add(domains.computeIfAbsent(fl, k -> domains.size()));
        }
        return sig;
    }

    /** Every prefix written in the topology, with the nodes whose own interface addresses it is (if any). */
    private static Map<Prefix, Set<Integer>> prefixes(List<NodeState> all) {
        Map<Prefix, Set<Integer>> out = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            NodeState n = all.get(i);
            for (Dev d : n.devs) {
                for (Prefix a : d.addrs) {
                    out.computeIfAbsent(new Prefix(a.addr(), a.addr().bits()), k -> new HashSet<>()).add(i);
                    out.computeIfAbsent(new Prefix(a.addr(), a.len()), k -> new HashSet<>()).add(i);
                }
                if (d.vxlan != null) {
                    Interface.Vxlan v = d.vxlan;
                    for (inet.ipaddr.IPAddress a : new inet.ipaddr.IPAddress[] {v.local(), v.remote(), v.group()}) {
                        host(out, a);
                    }
                }
            }
            for (Route r : n.model.routes()) {
                cidr(out, r.to());
                host(out, r.via());
                host(out, r.src());
            }
            for (Rule r : n.model.rules()) {
                cidr(out, r.from());
                cidr(out, r.to());
            }
            for (NatRule r : n.model.nat()) {
                cidr(out, r.from());
                host(out, r.dst());
                host(out, r.toAddress());
            }
            n.model.firewall().forEach(c -> {
                for (FwRule r : c.rules()) {
                    cidr(out, r.from());
                    cidr(out, r.to());
                }
            });
        }
        return out;
    }

    /** Owner -1 marks a prefix written in configuration, which every class must respect. */
    private static void cidr(Map<Prefix, Set<Integer>> out, Cidr c) {
        if (c != null) {
            out.computeIfAbsent(Prefix.of(c), k -> new HashSet<>()).add(-1);
        }
    }

    private static void host(Map<Prefix, Set<Integer>> out, inet.ipaddr.IPAddress a) {
        if (a != null) {
            Addr x = Addr.of(a);
            out.computeIfAbsent(new Prefix(x, x.bits()), k -> new HashSet<>()).add(-1);
        }
    }

    private static boolean indistinguishable(List<NodeState> all, List<Integer> g, Map<Prefix, Set<Integer>> prefixes) {
        Set<Integer> members = new HashSet<>(g);
        List<List<Addr>> addrs = new ArrayList<>();
        Set<Addr> seen = new HashSet<>();
        for (int i : g) {
            List<Addr> a = new ArrayList<>();
            for (Dev d : all.get(i).devs) {
                if (d.kind != IfKind.LOOPBACK) {
                    d.addrs.forEach(p -> a.add(p.addr()));
                }
            }
            for (Addr x : a) {
                if (!seen.add(x)) {
                    return false;
                }
            }
            addrs.add(a);
        }
        int width = addrs.get(0).size();
        for (Map.Entry<Prefix, Set<Integer>> e : prefixes.entrySet()) {
            Set<Integer> owners = e.getValue();
            boolean own = members.containsAll(owners);
            if (own && owners.size() == 1 && e.getKey().isHost()) {
                continue;
            }
            for (int k = 0; k < width; k++) {
                int in = 0;
                for (List<Addr> a : addrs) {
                    in += e.getKey().contains(a.get(k)) ? 1 : 0;
                }
                if (in != 0 && in != addrs.size()) {
                    return false;
                }
            }
        }
        return true;
    }
}

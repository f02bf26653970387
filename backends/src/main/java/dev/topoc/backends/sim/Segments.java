package dev.topoc.backends.sim;

import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Proto;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Layer 2 over a {@link DataPlane}: where a frame sent on a device arrives ({@link Flood}s, computed by
 * {@link L2} on first use and cached per sending device; a symmetric broadcast domain shares one flood
 * among its members), VXLAN encapsulation (an underlay {@link Walk} to the remote, or a flood to the
 * group), and the words for why an ARP exchange failed. The caches make a matrix of thousands of walks
 * cheap; every method is safe to call from several threads.
 */
final class Segments {
    /** A decapsulating VXLAN device and how the frame got there (for traces). */
    record Decap(Dev dev, String label) {}

    private final DataPlane plane;
    private final Map<Dev, Flood> floods = new IdentityHashMap<>();
    private final Map<Dev, Flood> tracedFloods = new IdentityHashMap<>();
    private final Map<Dev, Map<Dev, Flood>> unicasts = new IdentityHashMap<>();

    Segments(DataPlane plane) {
        this.plane = plane;
    }

    synchronized Flood flood(Dev d) {
        Flood f = floods.get(d);
        if (f == null) {
            f = L2.flood(this, d, false, 0);
            floods.put(d, f);
            if (f.symmetric) {
                f.addMember(d);
                for (Dev m : f.members) {
                    floods.putIfAbsent(m, f);
                }
            }
        }
        return f;
    }

    /**
     * Where a unicast frame from {@code from} to {@code to}'s MAC address goes ({@link L2#unicast}); in a
     * symmetric domain that is where a broadcast goes.
     */
    synchronized Flood unicast(Dev from, Dev to) {
        Flood f = flood(from);
        if (f.symmetric) {
            return f;
        }
        return unicasts.computeIfAbsent(from, d -> new IdentityHashMap<>()).computeIfAbsent(to, t -> L2.unicast(this, from, t));
    }

    synchronized List<Hop> l2Path(Dev from, Dev to) {
        Flood f = tracedFloods.computeIfAbsent(from, d -> L2.flood(this, d, true, 0));
        List<Hop> p = f.paths.get(to);
        return p == null ? List.of() : p;
    }

    /** Encapsulates a frame sent on VXLAN device {@code vx}: the devices that decapsulate it. */
    List<Decap> vxlanTransmit(Dev vx, int depth, List<Flood.Note> notes) {
        Interface.Vxlan m = vx.vxlan;
        List<Decap> out = new ArrayList<>();
        if (depth > 3) {
            notes.add(new Flood.Note("VXLAN inside VXLAN too deep at " + vx.id(), Set.of()));
            return out;
        }
        if (m.remote() != null) {
            Walk w = new Walk(plane, false, depth + 1);
            Walk.Pkt p = new Walk.Pkt();
            p.src = m.local() == null ? null : Addr.of(m.local());
            p.dst = Addr.of(m.remote());
            p.proto = Proto.UDP;
            p.sport = Walk.EPHEMERAL_PORT;
            p.dport = m.port();
            Walk.Delivered d = w.output(vx.node, p);
            if (d == null) {
                notes.add(new Flood.Note("the VXLAN packet from " + vx.id() + " to " + m.remote().toCanonicalString() + ":" + m.port()
                        + " does not arrive: " + w.reason, Set.copyOf(w.path)));
                return out;
            }
            decap(vx, d.node(), null, d.p().dst, "encapsulated by " + vx.id() + " to " + m.remote().toCanonicalString() + ":" + m.port()
                    + " over " + String.join(" > ", w.path) + ", decapsulated by ", out, notes);
            return out;
        }
        if (m.group() != null) {
            Dev under = m.dev() == null ? null : vx.node.dev(m.dev());
            if (under == null) {
                notes.add(new Flood.Note(vx.id() + " sends to group " + m.group().toCanonicalString() + " but names no `dev`", Set.of()));
                return out;
            }
            Flood f = flood(under);
            for (Dev member : f.members) {
                decap(vx, member.node, member, null, "multicast to " + m.group().toCanonicalString() + " on " + under.id()
                        + ", decapsulated by ", out, notes);
            }
            return out;
        }
        notes.add(new Flood.Note(vx.id() + " has neither `remote` nor `group`: it only learns, the simulator sends nothing", Set.of()));
        return out;
    }

    private void decap(Dev vx, NodeState at, Dev member, Addr outerDst, String label, List<Decap> out, List<Flood.Note> notes) {
        Interface.Vxlan m = vx.vxlan;
        List<Dev> listeners = new ArrayList<>();
        for (Dev d : at.devs) {
            if (d == vx || d.kind != IfKind.VXLAN || !d.up) {
                continue;
            }
            Interface.Vxlan x = d.vxlan;
            if (x.port() != m.port()) {
                continue;
            }
            if (member != null) {
                if (x.group() == null || !x.group().equals(m.group()) || x.dev() != null && !x.dev().equals(member.name)) {
                    continue;
                }
            }
            // unicast: the kernel's VXLAN socket listens on the port on every local address, whatever `local` says
            listeners.add(d);
        }
        boolean found = false;
        for (Dev d : listeners) {
            if (d.vxlan.vni() == m.vni()) {
                out.add(new Decap(d, label + d.id() + " (VNI " + m.vni() + ")"));
                found = true;
            }
        }
        if (!found && !listeners.isEmpty()) {
            Dev d = listeners.get(0);
            notes.add(new Flood.Note("VNI " + m.vni() + " ≠ " + d.vxlan.vni() + ": " + vx.id() + " (" + vx.span
                    + ") and " + d.id() + " (" + d.span + ") are different VXLAN segments", Set.of(at.name)));
        } else if (!found && member == null) {
            notes.add(new Flood.Note("no VXLAN device of " + at.name + " listens on udp port " + m.port() + " for " + vx.id(),
                    Set.of(at.name)));
        }
    }

    /**
     * The start of a reason why {@code nh} got no answer on {@code dev}: "no ARP reply for 10.0.0.9 on a:eth0" (IPv4),
     * "no neighbour advertisement for fd00::9 on a:eth0" (IPv6: neighbour discovery, a solicitation left unanswered).
     */
    private static String noAnswer(Addr nh, Dev dev) {
        return (nh.v6 ? "no neighbour advertisement for " : "no ARP reply for ") + nh + " on " + dev.id();
    }

    /** The answer to a neighbour request in {@code nh}'s family: "ARP reply" or "neighbour advertisement". */
    static String answer(Addr nh) {
        return nh.v6 ? "neighbour advertisement" : "ARP reply";
    }

    /** The request that resolves {@code nh}: "ARP request" or "neighbour solicitation". */
    static String request(Addr nh) {
        return nh.v6 ? "neighbour solicitation" : "ARP request";
    }

    /** Why no one answered ARP (IPv6: neighbour discovery) for {@code nh} on {@code dev}. */
    String explainNoArp(Dev dev, Addr nh, Flood f, Addr sip) {
        Interface owner = plane.analysis.owner(nh.ip());
        Dev port = owner == null ? null : plane.dev(owner.ref());
        if (port != null && port.master != null) {
            return "address on a bridge port: " + nh + " is on " + port.id() + ", a port of bridge " + port.master.name
                    + " (" + port.span + "); frames for it go to the bridge, so it never answers";
        }
        List<String> owners = new ArrayList<>();
        for (NodeState s : plane.nodeStates()) {
            if (s.ifaddrs.contains(nh) || s.isLocal(nh) && !nh.isLoopback()) {
                owners.add(s.name);
            }
        }
        if (!nh.v6) {
            for (Dev m : f.members) {
                int ignore = Flood.arpIgnore(m);
                if (ignore != 0 && owners.contains(m.node.name) && !m.noarp()) {
                    return noAnswer(nh, dev) + ": " + m.id() + " receives the request but has arp_ignore "
                            + ignore + switch (ignore) {
                                case 1 -> " (it answers only for addresses of " + m.name + ")";
                                case 2 -> " (it answers only for addresses of " + m.name + " on a subnet that also holds the sender "
                                        + (sip == null ? "address" : sip.toString()) + ")";
                                case 3 -> " (it answers only for addresses configured on an interface, not for the rest of a prefix on lo)";
                                default -> " (it never answers)";
                            };
                }
            }
        }
        for (Flood.Note n : f.notes) {
            for (String o : owners) {
                if (n.nodes().contains(o)) {
                    return noAnswer(nh, dev) + ": " + n.text();
                }
            }
        }
        if (owners.isEmpty()) {
            return noAnswer(nh, dev) + ": no node has this address";
        }
        if (nh.v6) {
            for (Dev m : f.members) {
                if (m != dev && owners.contains(m.node.name) && !m.noarp() && !m.owns(nh)) {
                    // ndisc_recv_ns answers only for an address of the receiving interface (measured)
                    return noAnswer(nh, dev) + ": " + m.id() + " receives the neighbour solicitation, but " + nh
                            + " is not an address of " + m.name + " (IPv6 answers only for addresses of the receiving interface)";
                }
            }
        }
        return noAnswer(nh, dev) + ": " + String.join(", ", owners)
                + (owners.size() == 1 ? " has" : " have") + " it, but not on this layer-2 segment";
    }

    /** Why the ARP reply (IPv6: neighbour advertisement) of {@code resp} does not come back to {@code dev}. */
    String explainNoArpReply(Dev dev, Addr nh, Dev resp, Flood back) {
        if (dev.master != null) {
            return "address on a bridge port: " + dev.id() + " is a port of bridge " + dev.master.name + " (" + dev.span
                    + "), so the " + answer(nh) + " from " + resp.id() + " for " + nh + " goes to the bridge, never to " + dev.name;
        }
        for (Flood.Note n : back.notes) {
            if (n.nodes().contains(dev.node.name)) {
                return "the " + answer(nh) + " from " + resp.id() + " for " + nh + " does not reach " + dev.id() + ": " + n.text();
            }
        }
        return "the " + answer(nh) + " from " + resp.id() + " for " + nh + " does not reach " + dev.id();
    }
}

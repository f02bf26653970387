package dev.topoc.backends.sim;

import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.IpvlanFlag;
import dev.topoc.compiler.model.IpvlanMode;
import dev.topoc.compiler.model.MacvlanMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Layer 2: a breadth-first walk of one broadcast frame from the device that sends it. Each step is a
 * device sending ({@code tx}) or receiving ({@code rx}) a frame with a stack of VLAN tags; the rules are
 * the kernel's:
 * <ul>
 * <li>veth and physical: what one end sends, its peer receives; a device that is down neither sends nor receives;</li>
 * <li>bridge: a frame received on a port goes to the bridge's own stack and out of every other up port
 *     (learning only narrows this for unicast), and back out of the same port when it hairpins; the
 *     port's own stack never receives (an address on a bridge port is dead); the bridge is VLAN-unaware,
 *     so tagged frames pass unchanged;</li>
 * <li>VLAN: a sub-interface sends on its parent with its tag pushed; a tagged frame goes to the parent's
 *     sub-interface with that id (even on a bridge port: the kernel untags before the bridge), and is
 *     dropped by a stack that has none;</li>
 * <li>macvlan: bridge-mode siblings talk inside the parent, everything else leaves through the parent,
 *     whose own stack never sees its children's frames; frames from the wire go to the children and to
 *     the parent, except that a reflected frame from a vepa child reaches only vepa and bridge siblings,
 *     one from a private child none, and passthru takes every frame from the parent;</li>
 * <li>ipvlan l2: like macvlan bridge mode (flag private: no sibling traffic, vepa: through the wire);
 *     l3/l3s devices do not do ARP and are handled by the packet walk;</li>
 * <li>VXLAN: the frame is encapsulated in UDP to {@code remote} (a packet walk over the underlay, with its
 *     routes and filters) or flooded to the {@code group} on {@code dev}'s segment, and decapsulated by a
 *     VXLAN device with the same VNI and port.</li>
 * </ul>
 */
final class L2 {
    private record Key(Dev dev, boolean tx, List<Integer> tags) {}

    private static final class Step {
        final Dev dev;
        final boolean tx;
        final List<Integer> tags;
        final Step parent;
        final String label;

        Step(Dev dev, boolean tx, List<Integer> tags, Step parent, String label) {
            this.dev = dev;
            this.tx = tx;
            this.tags = tags;
            this.parent = parent;
            this.label = label;
        }
    }

    private final Segments segments;
    private final Flood flood;
    private final boolean withPaths;
    private final int depth;
    /** The device a unicast frame is addressed to (its MAC), or null for a broadcast. */
    private final Dev target;
    private final ArrayDeque<Step> queue = new ArrayDeque<>();
    private final Set<Key> seen = new HashSet<>();

    private L2(Segments segments, Dev source, Dev target, boolean withPaths, int depth) {
        this.segments = segments;
        this.target = target;
        this.flood = new Flood(source);
        this.withPaths = withPaths;
        this.depth = depth;
    }

    static Flood flood(Segments segments, Dev source, boolean withPaths, int depth) {
        return walk(new L2(segments, source, null, withPaths, depth));
    }

    /**
     * Where a unicast frame from {@code source} to {@code target}'s MAC address arrives. It goes where a
     * broadcast goes, except at macvlan devices, which switch unicast by destination address: a child sends a
     * frame for a bridge-mode sibling inside the parent only when both are in bridge mode (otherwise onto the
     * wire), and a frame arriving on the parent goes to the child that owns the destination address, whatever
     * its mode or the sender's, else to the parent's own stack. So through a hairpinning switch a child of any
     * mode reaches its parent and its siblings by unicast, though a private child's broadcasts (ARP requests)
     * come back to no one.
     */
    static Flood unicast(Segments segments, Dev source, Dev target) {
        return walk(new L2(segments, source, target, false, 0));
    }

    private static Flood walk(L2 w) {
        Dev source = w.flood.source;
        if (source.master != null || !plain(source)) {
            w.flood.symmetric = false;
        }
        w.push(source, true, List.of(), null, null);
        while (!w.queue.isEmpty()) {
            Step s = w.queue.poll();
            if (s.tx) {
                w.tx(s);
            } else {
                w.rx(s);
            }
        }
        return w.flood;
    }

    /** Kinds that pass a frame on unchanged (so a flood through only these can be symmetric). */
    private static boolean plain(Dev d) {
        return switch (d.kind) {
            case VETH, PHYSICAL, BRIDGE -> true;
            case VLAN, VXLAN, MACVLAN, IPVLAN, DUMMY, TUN, TAP, LOOPBACK -> false;
        };
    }

    private void push(Dev dev, boolean tx, List<Integer> tags, Step parent, String label) {
        if (!dev.macvlans.isEmpty() || !dev.ipvlans.isEmpty() || !dev.vlans.isEmpty() || dev.hairpin) {
            flood.symmetric = false;
        }
        if (seen.add(new Key(dev, tx, tags))) {
            queue.add(new Step(dev, tx, tags, parent, label));
        }
    }

    private void note(String text, String... nodes) {
        flood.symmetric = false;
        flood.notes.add(new Flood.Note(text, Set.copyOf(java.util.Arrays.asList(nodes))));
    }

    private void reach(Dev d, Step via) {
        if (d == flood.source || flood.memberSet.contains(d)) {
            return;
        }
        flood.addMember(d);
        if (withPaths) {
            List<Hop> hops = new ArrayList<>();
            boolean decap = via.dev == d && via.label != null && (via.label.startsWith("encapsulated") || via.label.startsWith("multicast"));
            for (Step s = via.dev == d && !decap ? via.parent : via; s != null; s = s.parent) {
                if (s.label != null && s.parent != null) {
                    hops.add(0, new Hop(Hop.Leg.REQUEST, s.dev.node.name, s.dev.name, s.label));
                }
            }
            flood.paths.put(d, hops);
        }
    }

    private static List<Integer> push(List<Integer> tags, int id) {
        List<Integer> t = new ArrayList<>(tags);
        t.add(id);
        return List.copyOf(t);
    }

    private void tx(Step s) {
        Dev d = s.dev;
        if (!d.up) {
            note(d.id() + " is down" + (d.declaredUp ? " (its parent is down)" : " (`up false` at " + d.span + ")"), d.node.name,
                    d.peer == null ? d.node.name : d.peer.node.name);
            return;
        }
        if (!s.tags.isEmpty() && !plain(d) && d.kind != IfKind.VLAN && d.kind != IfKind.VXLAN) {
            flood.symmetric = false;
        }
        Runnable send = switch (d.kind) {
            case VETH, PHYSICAL -> () -> cableTx(s);
            case BRIDGE -> () -> bridgeTx(s);
            case VLAN -> () -> vlanTx(s);
            case MACVLAN -> () -> macvlanTx(s);
            case IPVLAN -> () -> ipvlanTx(s);
            case VXLAN -> () -> vxlanTx(s);
            case LOOPBACK -> () -> reach(d, s);
            case DUMMY -> () -> note(d.id() + " is a dummy device: what it sends vanishes", d.node.name);
            case TUN, TAP -> () -> note(d.id() + " is a " + d.kind.word()
                    + ": its frames go to a user-space program, which the simulator does not run", d.node.name);
        };
        send.run();
    }

    private void cableTx(Step s) {
        Dev d = s.dev;
        if (d.peer == null) {
            note(d.id() + " has no cable: its frames go nowhere", d.node.name);
            return;
        }
        if (!s.tags.isEmpty()) {
            flood.symmetric = false;
        }
        push(d.peer, false, s.tags, s, "in");
    }

    private void bridgeTx(Step s) {
        for (Dev p : s.dev.ports) {
            push(p, true, s.tags, s, "out (bridge " + s.dev.name + ")");
        }
    }

    private void vlanTx(Step s) {
        Dev d = s.dev;
        flood.symmetric = false;
        if (d.lower != null) {
            push(d.lower, true, push(s.tags, d.vlanId), s, "tagged VLAN " + d.vlanId);
        }
    }

    private void vxlanTx(Step s) {
        flood.symmetric = false;
        for (Segments.Decap r : segments.vxlanTransmit(s.dev, depth, flood.notes)) {
            push(r.dev(), false, s.tags, s, r.label());
        }
    }

    private void macvlanTx(Step s) {
        Dev d = s.dev;
        flood.symmetric = false;
        Dev parent = d.lower;
        if (parent == null) {
            return;
        }
        for (Dev sib : parent.macvlans) {
            if (sib == d || target != null && sib != target) {
                continue;
            }
            if (d.macMode == MacvlanMode.BRIDGE && sib.macMode == MacvlanMode.BRIDGE) {
                push(sib, false, s.tags, s, "switched inside " + parent.id() + " (macvlan bridge mode)");
            } else if (d.macMode == MacvlanMode.PRIVATE || sib.macMode == MacvlanMode.PRIVATE) {
                note("macvlan private mode isolates " + d.id() + " and " + sib.id(), sib.node.name);
            } else if (d.macMode == MacvlanMode.VEPA || sib.macMode == MacvlanMode.VEPA) {
                note("macvlan vepa mode: " + d.id() + " reaches " + sib.id() + " only through a switch that hairpins",
                        sib.node.name);
            }
        }
        note("a macvlan never reaches its own parent: " + d.id() + " sends through " + parent.id()
                + " onto the wire, not into " + parent.node.name + "'s stack", parent.node.name);
        push(parent, true, s.tags, s, "out through parent " + parent.id() + " (macvlan " + d.macMode.word() + ")");
    }

    private void ipvlanTx(Step s) {
        Dev d = s.dev;
        flood.symmetric = false;
        Dev parent = d.lower;
        if (parent == null || d.ipMode != IpvlanMode.L2) {
            return;
        }
        for (Dev sib : parent.ipvlans) {
            if (sib == d || sib.ipMode != IpvlanMode.L2) {
                continue;
            }
            if (d.ipFlag == IpvlanFlag.PRIVATE) {
                note("ipvlan flag private isolates " + d.id() + " and " + sib.id(), sib.node.name);
            } else if (d.ipFlag != IpvlanFlag.VEPA) {
                push(sib, false, s.tags, s, "switched inside " + parent.id() + " (ipvlan l2)");
            }
        }
        note("an ipvlan never reaches its own parent: " + d.id() + " sends through " + parent.id()
                + " onto the wire, not into " + parent.node.name + "'s stack", parent.node.name);
        push(parent, true, s.tags, s, "out through parent " + parent.id() + " (ipvlan l2)");
    }

    private void rx(Step s) {
        Dev d = s.dev;
        if (!d.up) {
            note(d.id() + " is down" + (d.declaredUp ? " (its parent is down)" : " (`up false` at " + d.span + ")"), d.node.name);
            return;
        }
        if (!s.tags.isEmpty()) {
            flood.symmetric = false;
            int top = s.tags.get(s.tags.size() - 1);
            Dev child = d.vlans.get(top);
            if (child != null) {
                push(child, false, s.tags.subList(0, s.tags.size() - 1), s, "in, untagged VLAN " + top + " to " + child.name);
                return;
            }
            if (d.master == null) {
                String have = d.vlans.isEmpty() ? "has no VLAN sub-interface"
                        : "has VLAN " + d.vlans.keySet().stream().sorted().map(String::valueOf)
                                .reduce((a, b) -> a + ", " + b).orElse("") + " but not " + top;
                note("a frame tagged VLAN " + top + " reaches " + d.id() + ", which " + have, d.node.name);
                return;
            }
        }
        if (d.master != null) {
            Dev br = d.master;
            if (!br.up) {
                note("bridge " + br.id() + " is down", br.node.name);
                return;
            }
            if (d.hairpin) {
                flood.symmetric = false;
            }
            push(br, false, s.tags, s, "in, switched by bridge " + br.name);
            for (Dev p : br.ports) {
                if (p != d || d.hairpin) {
                    push(p, true, s.tags, s, p == d ? "reflected back out (hairpin)" : "out (bridge " + br.name + ")");
                }
            }
            return;
        }
        if (d.kind == IfKind.BRIDGE && s.parent != null && s.parent.dev.master == d) {
            // the bridge's own stack, reached from one of its ports
            reach(d, s);
            return;
        }
        if (!d.macvlans.isEmpty()) {
            macvlanRx(s);
            return;
        }
        if (!d.ipvlans.isEmpty()) {
            flood.symmetric = false;
            for (Dev c : d.ipvlans) {
                if (c.ipMode == IpvlanMode.L2) {
                    push(c, false, s.tags, s, "to ipvlan " + c.id());
                }
            }
        }
        if (!s.tags.isEmpty()) {
            return;
        }
        reach(d, s);
    }

    private void macvlanRx(Step s) {
        Dev d = s.dev;
        flood.symmetric = false;
        for (Dev c : d.macvlans) {
            if (c.macMode == MacvlanMode.PASSTHRU) {
                note(c.id() + " in passthru mode takes every frame arriving on " + d.id(), d.node.name);
                push(c, false, s.tags, s, "to passthru macvlan " + c.id());
                if (target == null && s.tags.isEmpty()) {
                    // a broadcast is also passed on to the parent's own stack (macvlan_handle_frame: RX_HANDLER_PASS),
                    // so the parent answers ARP, but the unicast frames that follow go to the passthru child (measured:
                    // traceroute to the parent's address gets no answer, not the prober's own host unreachable)
                    reach(d, s);
                }
                return;
            }
        }
        if (target != null) {
            if (d.macvlans.contains(target)) {
                push(target, false, s.tags, s, "to macvlan " + target.id() + " (its address)");
            } else if (s.tags.isEmpty()) {
                reach(d, s);
            }
            return;
        }
        Dev src = flood.source.lower == d && flood.source.kind == IfKind.MACVLAN ? flood.source : null;
        if (src != null && src.macMode == MacvlanMode.PRIVATE) {
            for (Dev c : d.macvlans) {
                if (c != src) {
                    note("macvlan private mode isolates " + src.id() + " and " + c.id() + ", even through a hairpin", c.node.name);
                }
            }
            return;
        }
        for (Dev c : d.macvlans) {
            if (c == src) {
                continue;
            }
            boolean gets = src == null
                    || src.macMode == MacvlanMode.VEPA && c.macMode != MacvlanMode.PRIVATE
                    || src.macMode == MacvlanMode.BRIDGE && c.macMode == MacvlanMode.VEPA;
            if (gets) {
                push(c, false, s.tags, s, "to macvlan " + c.id());
            }
        }
        if (s.tags.isEmpty()) {
            reach(d, s);
        }
    }
}

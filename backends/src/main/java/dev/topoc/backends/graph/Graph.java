package dev.topoc.backends.graph;

import java.util.List;

/**
 * The drawing, independent of the output language: what {@link GraphBuilder} computes from the model and
 * {@link DotWriter} / {@link MermaidWriter} lay out. Everything is in model order; ids are
 * {@code node} for boxes and {@code node:iface} for ports (a collapsed group uses its first member's).
 */
public record Graph(String name, List<Box> boxes, List<Edge> edges, List<Domain> domains, PathInfo path) {
    public Graph {
        boxes = List.copyOf(boxes);
        edges = List.copyOf(edges);
        domains = List.copyOf(domains);
    }

    public List<Box> inside() {
        return boxes.stream().filter(b -> !b.external()).toList();
    }

    public List<Box> outside() {
        return boxes.stream().filter(Box::external).toList();
    }

    /**
     * One node (or a collapsed group of identical nodes): {@code title} is its name (or the group's
     * names), {@code lines} its kind and what it does; {@code drop} (nullable) is why a highlighted
     * packet died here.
     */
    /** {@code machine} (nullable) is the machine the node lives on: writers draw each machine as a cluster of its boxes. */
    public record Box(String id, String title, List<String> lines, boolean external, int count,
            List<Port> ports, List<BridgeBox> bridges, String drop, String machine) {
        public Box {
            lines = List.copyOf(lines);
            ports = List.copyOf(ports);
            bridges = List.copyOf(bridges);
        }

        public boolean collapsed() {
            return count > 1;
        }
    }

    /** A bridge drawn inside its node: the bridge device itself ({@code self}) and its ports. */
    public record BridgeBox(String id, String title, Port self, List<Port> ports, Domain domain) {
        public BridgeBox {
            ports = List.copyOf(ports);
        }
    }

    /** An interface: {@code lines} are its name, kind, addresses and settings; {@code domain} nullable. */
    public record Port(String id, List<String> lines, Domain domain, boolean onPath) {
        public Port {
            lines = List.copyOf(lines);
        }
    }

    public enum EdgeKind { LINK, TUNNEL, PARENT, PATH, DROP }

    /**
     * A line between two ports. {@code step} is the 1-based position on the highlighted path (0 when the
     * edge is not on it); {@code forward} says the path runs from {@code from} to {@code to}.
     */
    public record Edge(EdgeKind kind, String from, String to, String label, Domain domain, int step, boolean forward) {
        public boolean onPath() {
            return step > 0 || kind == EdgeKind.PATH || kind == EdgeKind.DROP;
        }
    }

    /**
     * An L2 domain: a bridge and everything reaching it, a cable's two ends, a VLAN over a segment or a
     * VXLAN's endpoints. {@code number} is 1-based; {@code fill}/{@code stroke} its colours.
     */
    public record Domain(int number, String title, String subnets, int members, String fill, String stroke) {}

    /** The highlighted path's caption and whether it was delivered. */
    public record PathInfo(String label, boolean delivered, String dropNode, String dropReason) {}
}

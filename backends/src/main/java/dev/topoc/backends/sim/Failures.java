package dev.topoc.backends.sim;

import dev.topoc.compiler.model.IfRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What is down in a what-if question ({@code --fail}): links, named by either end ({@code a:eth0}), and nodes.
 * {@link DataPlane#of(dev.topoc.compiler.model.Topology, Failures)} builds the data plane as the kernel holds it
 * then: a link down is a cable pulled, carrier down on both ends (their addresses and routes stay, and are still
 * chosen, as with {@code ignore_routes_with_linkdown} 0; what is sent there is lost, neighbours do not answer);
 * a node down has all its interfaces gone, and the ends cabled to it lose their carrier.
 */
public record Failures(Set<IfRef> links, Set<String> nodes) {
    public static final Failures NONE = new Failures(Set.of(), Set.of());

    public Failures {
        links = Set.copyOf(new LinkedHashSet<>(links));
        nodes = Set.copyOf(new LinkedHashSet<>(nodes));
    }

    /** One failure each: {@code node:if} is the link with that end, a bare name a node. */
    public static Failures parse(List<String> names) {
        List<IfRef> links = new ArrayList<>();
        List<String> nodes = new ArrayList<>();
        for (String s : names) {
            int colon = s.indexOf(':');
            if (colon > 0 && colon < s.length() - 1) {
                links.add(new IfRef(s.substring(0, colon), s.substring(colon + 1)));
            } else {
                nodes.add(s);
            }
        }
        return new Failures(new LinkedHashSet<>(links), new LinkedHashSet<>(nodes));
    }

    public static Failures link(IfRef end) {
        return new Failures(Set.of(end), Set.of());
    }

    public static Failures node(String name) {
        return new Failures(Set.of(), Set.of(name));
    }

    public boolean isEmpty() {
        return links.isEmpty() && nodes.isEmpty();
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ");
        links.stream().map(IfRef::toString).sorted().forEach(l -> j.add("link " + l));
        nodes.stream().sorted().forEach(n -> j.add("node " + n));
        return j.toString();
    }
}

package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resolved topology: ranges expanded, references checked, defaults applied, {@code auto}
 * addresses allocated. {@code machines} are the hosts it is spread over (empty: one machine). Immutable. Equality is by meaning: spans never take part (see {@link Span}).
 */
public record Topology(String name, Span span, List<Machine> machines, List<Node> nodes, List<Link> links,
        List<Expectation> expectations) {
    public Topology {
        machines = List.copyOf(machines);
        nodes = List.copyOf(nodes);
        links = List.copyOf(links);
        expectations = List.copyOf(expectations);
    }

    /** A topology on one machine (no {@code machine} blocks). */
    public Topology(String name, Span span, List<Node> nodes, List<Link> links, List<Expectation> expectations) {
        this(name, span, List.of(), nodes, links, expectations);
    }

    public Optional<Machine> machine(String machineName) {
        return machines.stream().filter(m -> m.name().equals(machineName)).findFirst();
    }

    public Optional<Node> node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
    }

    public Optional<Interface> iface(IfRef ref) {
        return node(ref.node()).flatMap(n -> n.iface(ref.iface()));
    }

    /** A name → node map for callers that look up many nodes. */
    public Map<String, Node> nodesByName() {
        Map<String, Node> byName = new HashMap<>();
        nodes.forEach(n -> byName.put(n.name(), n));
        return byName;
    }
}

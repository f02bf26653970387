package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One network stack. {@code machine} is nullable; {@code sysctl} keeps the written order. */
public record Node(String name, Span span, NodeKind kind, String machine, boolean forwarding,
        List<Interface> interfaces, List<Route> routes, List<Rule> rules, List<NatRule> nat,
        List<Chain> firewall, Map<String, String> sysctl) {
    public Node {
        interfaces = List.copyOf(interfaces);
        routes = List.copyOf(routes);
        rules = List.copyOf(rules);
        nat = List.copyOf(nat);
        firewall = List.copyOf(firewall);
        sysctl = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sysctl));
    }

    public Optional<Interface> iface(String ifName) {
        return interfaces.stream().filter(i -> i.name().equals(ifName)).findFirst();
    }

    /** The node's interfaces of one record (every VLAN, say), in declaration order. */
    public <T extends Interface> List<T> interfaces(Class<T> record) {
        return interfaces.stream().filter(record::isInstance).map(record::cast).toList();
    }

    public Optional<Chain> chain(ChainName chain) {
        return firewall.stream().filter(c -> c.name() == chain).findFirst();
    }
}

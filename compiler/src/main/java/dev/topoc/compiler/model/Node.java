package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One network stack. {@code machine} is the machine it lives on (empty without one; null reads as empty); {@code sysctl} keeps the written order; {@code listens}
 * and {@code runs} are its workloads (what accepts connections, what is started), in file order.
 */
public record Node(String name, Span span, NodeKind kind, Optional<String> machine, boolean forwarding,
        List<Interface> interfaces, List<Route> routes, List<Rule> rules, List<NatRule> nat,
        List<Chain> firewall, Map<String, String> sysctl, List<Listen> listens, List<Run> runs) {
    public Node {
        machine = machine == null ? Optional.empty() : machine;
        listens = List.copyOf(listens);
        runs = List.copyOf(runs);
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

    /** The listen that accepts this protocol, port and local address, if any. */
    public Optional<Listen> listener(Proto proto, int port, inet.ipaddr.IPAddress local) {
        return listens.stream().filter(l -> l.accepts(proto, port, local)).findFirst();
    }

    public Optional<Chain> chain(ChainName chain) {
        return firewall.stream().filter(c -> c.name() == chain).findFirst();
    }
}

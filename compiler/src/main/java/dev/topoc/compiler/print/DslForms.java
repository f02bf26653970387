package dev.topoc.compiler.print;

import dev.topoc.compiler.ast.IfaceAst;
import dev.topoc.compiler.ast.Keys;
import dev.topoc.compiler.ast.NodeAst;
import dev.topoc.compiler.ast.Prop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which props of an entry a DSL statement prints in its header and which become statements of its
 * block. The DSL printer lays entries out with it, and {@link CommentPlacement} uses it to know which
 * printed line a comment can sit on.
 */
final class DslForms {
    /** Kinds written as the statement word: {@code bridge br0}, {@code vlan v10 parent eth0 id 10}. */
    static final Map<String, List<String>> HEADER_KEYS = Map.of(
            "bridge", List.of(),
            "vlan", List.of("parent", "id"),
            "vxlan", List.of("vni", "local", "remote", "group", "dev", "port"),
            "macvlan", List.of("parent", "mode"),
            "ipvlan", List.of("parent", "mode", "flag"));

    /** Kinds accepted after {@code iface NAME}. */
    static final Set<String> IFACE_KINDS = Set.of("veth", "bridge", "vlan", "vxlan", "macvlan", "ipvlan",
            "physical", "dummy", "tun", "tap", "loopback");

    /** Kinds accepted after {@code node NAME}. */
    static final Set<String> NODE_KINDS = Set.of("netns", "root", "external");

    private DslForms() {}

    /** The interface as the DSL prints it: statement word, kind word after the name, header and block props. */
    record IfaceForm(String word, String kindWord, List<Prop> header, List<Prop> block) {}

    static IfaceForm iface(IfaceAst iface) {
        Prop kind = first(iface.props(), "kind");
        String kindText = kind == null || kind.values().size() != 1 ? null : kind.value().text();
        List<Prop> rest = new ArrayList<>(iface.props());
        if (kindText != null && IFACE_KINDS.contains(kindText)) {
            rest.remove(kind);
        } else {
            kindText = null;
        }
        List<Prop> header = new ArrayList<>();
        String word;
        String kindWord = null;
        if (kindText != null && HEADER_KEYS.containsKey(kindText)) {
            word = kindText;
            for (String key : HEADER_KEYS.get(kindText)) {
                Prop p = first(rest, key);
                if (p != null && p.values().size() == 1) {
                    header.add(p);
                    rest.remove(p);
                }
            }
        } else if (kindText == null && kind == null && iface.name() != null && iface.name().text().equals("lo")) {
            word = "lo";
        } else {
            word = "iface";
            kindWord = kindText;
        }
        return new IfaceForm(word, kindWord, header, Order.canonical(Keys.Context.IFACE, rest));
    }

    /** The node's kind word for the header, if it is one the DSL accepts there. */
    static Prop nodeKind(NodeAst node) {
        Prop kind = first(node.props(), "kind");
        return kind != null && kind.values().size() == 1 ? kind : null;
    }

    /** Node props written as statements of the node block: forwarding, machine, then sysctl and the rest. */
    static List<Prop> nodeStatements(NodeAst node) {
        List<Prop> out = new ArrayList<>();
        for (String key : List.of("forwarding", "machine")) {
            node.props().stream().filter(p -> p.name().equals(key)).forEach(out::add);
        }
        return out;
    }

    /** Node props printed after the firewall: sysctl pairs, then keys the DSL has no statement for. */
    static List<Prop> nodeTrailingStatements(NodeAst node) {
        Prop kind = nodeKind(node);
        List<Prop> out = new ArrayList<>();
        node.props().stream().filter(p -> p.name().equals("sysctl")).forEach(out::add);
        node.props().stream()
                .filter(p -> p != kind && !Set.of("forwarding", "machine", "sysctl").contains(p.name()))
                .forEach(out::add);
        return out;
    }

    static Prop first(List<Prop> props, String key) {
        for (Prop p : props) {
            if (p.name().equals(key)) {
                return p;
            }
        }
        return null;
    }
}

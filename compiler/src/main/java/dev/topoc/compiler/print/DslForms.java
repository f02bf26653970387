package dev.topoc.compiler.print;

import dev.topoc.compiler.ast.IfaceAst;
import dev.topoc.compiler.ast.Keys;
import dev.topoc.compiler.ast.NodeAst;
import dev.topoc.compiler.ast.Prop;
import dev.topoc.compiler.model.IfKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which props of an entry a DSL statement prints in its header and which become statements of its
 * block. The DSL printer lays entries out with it, and {@link CommentPlacement} uses it to know which
 * printed line a comment can sit on. Which kinds are statement words ({@code bridge br0},
 * {@code vlan v10 parent eth0 id 10}) and which keys their header takes is {@link IfKind}'s to say.
 */
final class DslForms {
    private DslForms() {}

    /** The interface as the DSL prints it: statement word, kind word after the name, header and block props. */
    record IfaceForm(String word, String kindWord, List<Prop> header, List<Prop> block) {}

    static IfaceForm iface(IfaceAst iface) {
        Prop kind = first(iface.props(), "kind");
        String kindText = kind == null || kind.values().size() != 1 ? null : kind.value().text();
        List<Prop> rest = new ArrayList<>(iface.props());
        IfKind known = kindText == null ? null : IfKind.of(kindText).orElse(null);
        if (known != null) {
            rest.remove(kind);
        } else {
            kindText = null;
        }
        List<Prop> header = new ArrayList<>();
        String word;
        String kindWord = null;
        if (known != null && known.isDslStatement()) {
            word = kindText;
            for (String key : known.dslHeader()) {
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

    /**
     * Node props printed after the firewall: sysctl pairs, the workloads (every listen, then every run,
     * each in file order), then keys the DSL has no statement for.
     */
    static List<Prop> nodeTrailingStatements(NodeAst node) {
        Prop kind = nodeKind(node);
        List<Prop> out = new ArrayList<>();
        for (String key : List.of("sysctl", "listen", "run")) {
            node.props().stream().filter(p -> p.name().equals(key)).forEach(out::add);
        }
        node.props().stream()
                .filter(p -> p != kind && !Set.of("forwarding", "machine", "sysctl", "listen", "run").contains(p.name()))
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

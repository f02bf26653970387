package dev.topoc.compiler.print;

import dev.topoc.compiler.ast.ChainAst;
import dev.topoc.compiler.ast.ExpectAst;
import dev.topoc.compiler.ast.FwRuleAst;
import dev.topoc.compiler.ast.IfaceAst;
import dev.topoc.compiler.ast.Keys;
import dev.topoc.compiler.ast.Lit;
import dev.topoc.compiler.ast.NodeAst;
import dev.topoc.compiler.ast.Prop;
import dev.topoc.compiler.ast.TopologyAst;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One way to write one model: before printing, a list key given several times in one entry
 * ({@code address A} then {@code address B}) becomes one prop holding every value in written order
 * ({@code address A B}), at the place of the first. YAML has a single list per key anyway, so with this
 * YAML → DSL → {@code fmt} gives the {@code fmt} of the original. Entries that need no merge are returned
 * as they are (the printers key comments by identity); a merged prop keeps every value's span, so the
 * comments on its lines still find it.
 */
final class Canonical {
    private Canonical() {}

    static TopologyAst of(TopologyAst ast) {
        List<NodeAst> nodes = map(ast.nodes(), Canonical::node);
        List<ExpectAst> expects = map(ast.expects(), e -> {
            List<Prop> props = merge(Keys.Context.EXPECT, e.props());
            return props == e.props() ? e : new ExpectAst(e.span(), props);
        });
        if (nodes == ast.nodes() && expects == ast.expects()) {
            return ast;
        }
        return new TopologyAst(ast.span(), ast.syntax(), ast.name(), ast.machines(), nodes, ast.links(), expects, ast.comments());
    }

    private static NodeAst node(NodeAst n) {
        List<IfaceAst> ifaces = map(n.interfaces(), i -> {
            List<Prop> props = merge(Keys.Context.IFACE, i.props());
            return props == i.props() ? i : new IfaceAst(i.span(), i.name(), props);
        });
        List<ChainAst> chains = map(n.firewall(), c -> {
            List<FwRuleAst> rules = map(c.rules(), r -> {
                List<Prop> props = merge(Keys.Context.FWRULE, r.props());
                return props == r.props() ? r : new FwRuleAst(r.span(), props);
            });
            return rules == c.rules() ? c : new ChainAst(c.span(), c.name(), c.props(), rules);
        });
        if (ifaces == n.interfaces() && chains == n.firewall()) {
            return n;
        }
        return new NodeAst(n.span(), n.name(), n.props(), ifaces, n.routes(), n.rules(), n.nat(), chains);
    }

    /** The props with repeated list keys merged, or {@code props} itself when no key repeats. */
    static List<Prop> merge(Keys.Context context, List<Prop> props) {
        Map<String, Integer> count = new LinkedHashMap<>();
        boolean repeated = false;
        for (Prop p : props) {
            boolean list = Keys.shape(context, p.name()).orElse(null) == Keys.Shape.LIST;
            repeated |= list && count.merge(p.name(), 1, Integer::sum) > 1;
        }
        if (!repeated) {
            return props;
        }
        Map<String, List<Lit>> values = new LinkedHashMap<>();
        List<Object> order = new ArrayList<>();
        for (Prop p : props) {
            if (count.getOrDefault(p.name(), 0) > 1) {
                List<Lit> into = values.get(p.name());
                if (into == null) {
                    into = new ArrayList<>();
                    values.put(p.name(), into);
                    order.add(p);
                }
                into.addAll(p.values());
            } else {
                order.add(p);
            }
        }
        List<Prop> out = new ArrayList<>();
        for (Object o : order) {
            Prop p = (Prop) o;
            out.add(values.containsKey(p.name()) ? new Prop(p.key(), values.get(p.name())) : p);
        }
        return out;
    }

    private static <T> List<T> map(List<T> items, java.util.function.UnaryOperator<T> f) {
        List<T> out = null;
        for (int i = 0; i < items.size(); i++) {
            T changed = f.apply(items.get(i));
            if (changed != items.get(i) && out == null) {
                out = new ArrayList<>(items.subList(0, i));
            }
            if (out != null) {
                out.add(changed);
            }
        }
        return out == null ? items : out;
    }
}

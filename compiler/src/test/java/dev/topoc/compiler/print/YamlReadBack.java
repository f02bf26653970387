package dev.topoc.compiler.print;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.topoc.compiler.ast.ChainAst;
import dev.topoc.compiler.ast.IfaceAst;
import dev.topoc.compiler.ast.Keys;
import dev.topoc.compiler.ast.LinkAst;
import dev.topoc.compiler.ast.Lit;
import dev.topoc.compiler.ast.NodeAst;
import dev.topoc.compiler.ast.Prop;
import dev.topoc.compiler.ast.TopologyAst;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Loads printed YAML with SnakeYAML and compares it, every scalar as text, with what the AST says: a
 * stand-in for the YAML front end, written independently of the printer.
 */
final class YamlReadBack {
    private YamlReadBack() {}

    static Object load(String yaml) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }

    static void assertReadsBackAs(TopologyAst ast, String yaml) {
        Object loaded = load(yaml);
        // an empty topology prints as an empty document, which YAML reads as null
        assertEquals(expected(ast), loaded == null && yaml.isEmpty() ? Map.of() : listensRead(texts(loaded)), yaml);
    }

    /**
     * Each node's {@code listen} items as the front end reads them: {@code tcp/80 on 10.0.0.1} is
     * [tcp, 80, 10.0.0.1] (split at the first slash and at ` on `), a map gives its proto, port and on.
     */
    @SuppressWarnings("unchecked")
    static Object listensRead(Object doc) {
        if (doc instanceof Map<?, ?> top && top.get("nodes") instanceof Map<?, ?> nodes) {
            for (Object node : nodes.values()) {
                if (node instanceof Map<?, ?> n && n.get("listen") instanceof List<?> items) {
                    List<Object> read = new ArrayList<>();
                    for (Object item : items) {
                        if (item instanceof Map<?, ?> m) {
                            List<Object> values = new ArrayList<>();
                            // SnakeYAML's loader reads the key `on` as the boolean true (YAML 1.1); the front
                            // end reads keys as text
                            for (String k : List.of("proto", "port", "on", "true")) {
                                if (m.containsKey(k)) {
                                    values.add(m.get(k));
                                }
                            }
                            read.add(values);
                        } else {
                            String text = (String) item;
                            String[] words = text.split(" on ", 2);
                            int slash = words[0].indexOf('/');
                            List<Object> values = new ArrayList<>(List.of(words[0].substring(0, slash), words[0].substring(slash + 1)));
                            if (words.length == 2) {
                                values.add(words[1]);
                            }
                            read.add(values);
                        }
                    }
                    ((Map<String, Object>) n).put("listen", read);
                }
            }
        }
        return doc;
    }

    /** The loaded document with every scalar (keys included) turned into its text. */
    static Object texts(Object loaded) {
        if (loaded instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), texts(v)));
            return out;
        }
        if (loaded instanceof List<?> l) {
            return l.stream().map(YamlReadBack::texts).toList();
        }
        return loaded == null ? null : String.valueOf(loaded);
    }

    static Map<String, Object> expected(TopologyAst ast) {
        Map<String, Object> top = new LinkedHashMap<>();
        if (ast.name() != null) {
            top.put("topology", ast.name().text());
        }
        if (!ast.nodes().isEmpty()) {
            Map<String, Object> nodes = new LinkedHashMap<>();
            ast.nodes().forEach(n -> nodes.put(n.name().text(), node(n)));
            top.put("nodes", nodes);
        }
        if (!ast.links().isEmpty()) {
            top.put("links", ast.links().stream().map(YamlReadBack::link).toList());
        }
        if (!ast.expects().isEmpty()) {
            top.put("expect", ast.expects().stream().map(e -> props(Keys.Context.EXPECT, e.props())).toList());
        }
        if (top.isEmpty()) {
            top.put("nodes", Map.of()); // an empty topology is written `nodes: {}`: an empty YAML file is refused
        }
        return top;
    }

    private static Object node(NodeAst n) {
        Map<String, Object> m = props(Keys.Context.NODE, n.props().stream()
                .filter(p -> !List.of("sysctl", "listen", "run").contains(p.name())).toList());
        if (!n.interfaces().isEmpty()) {
            Map<String, Object> ifs = new LinkedHashMap<>();
            for (IfaceAst i : n.interfaces()) {
                ifs.put(i.name().text(), props(Keys.Context.IFACE, i.props()));
            }
            m.put("interfaces", ifs);
        }
        if (!n.routes().isEmpty()) {
            m.put("routes", n.routes().stream().map(r -> props(Keys.Context.ROUTE, r.props())).toList());
        }
        if (!n.rules().isEmpty()) {
            m.put("rules", n.rules().stream().map(r -> props(Keys.Context.RULE, r.props())).toList());
        }
        if (!n.nat().isEmpty()) {
            m.put("nat", n.nat().stream().map(r -> props(Keys.Context.NAT, r.props())).toList());
        }
        if (!n.firewall().isEmpty()) {
            Map<String, Object> fw = new LinkedHashMap<>();
            for (ChainAst c : n.firewall()) {
                Map<String, Object> chain = props(Keys.Context.CHAIN, c.props());
                if (!c.rules().isEmpty()) {
                    chain.put("rules", c.rules().stream().map(r -> props(Keys.Context.FWRULE, r.props())).toList());
                }
                fw.put(c.name().text(), chain);
            }
            m.put("firewall", fw);
        }
        List<Prop> sysctl = n.props().stream().filter(p -> p.name().equals("sysctl")).toList();
        if (!sysctl.isEmpty()) {
            Map<String, Object> s = new LinkedHashMap<>();
            sysctl.forEach(p -> s.put(p.values().get(0).text(), p.values().get(1).text()));
            m.put("sysctl", s);
        }
        List<Object> listens = n.props().stream().filter(p -> p.name().equals("listen"))
                .map(p -> (Object) p.values().stream().map(Lit::text).toList()).toList();
        if (!listens.isEmpty()) {
            m.put("listen", listens);
        }
        List<Object> runs = n.props().stream().filter(p -> p.name().equals("run")).map(p -> (Object) p.value().text()).toList();
        if (!runs.isEmpty()) {
            m.put("run", runs);
        }
        return m;
    }

    private static Object link(LinkAst l) {
        if (l.props().isEmpty()) {
            return List.of(l.a().text(), l.b().text());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", l.a().text());
        m.put("b", l.b().text());
        m.putAll(props(Keys.Context.LINK, l.props()));
        return m;
    }

    private static Map<String, Object> props(Keys.Context context, List<Prop> props) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Prop p : props) {
            List<String> values = p.values().stream().map(Lit::text).toList();
            if (Keys.shape(context, p.name()).orElse(null) == Keys.Shape.LIST) {
                List<String> list = new ArrayList<>();
                Object old = m.get(p.name());
                if (old instanceof List<?> l) {
                    l.forEach(x -> list.add((String) x));
                }
                list.addAll(values);
                m.put(p.name(), list);
            } else {
                m.put(p.name(), values.isEmpty() ? "true" : values.get(0));
            }
        }
        return m;
    }
}

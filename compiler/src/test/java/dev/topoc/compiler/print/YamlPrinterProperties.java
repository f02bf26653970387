package dev.topoc.compiler.print;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.ast.ChainAst;
import dev.topoc.compiler.ast.ExpectAst;
import dev.topoc.compiler.ast.FwRuleAst;
import dev.topoc.compiler.ast.IfaceAst;
import dev.topoc.compiler.ast.Keys;
import dev.topoc.compiler.ast.LinkAst;
import dev.topoc.compiler.ast.Lit;
import dev.topoc.compiler.ast.NatAst;
import dev.topoc.compiler.ast.NodeAst;
import dev.topoc.compiler.ast.Prop;
import dev.topoc.compiler.ast.RouteAst;
import dev.topoc.compiler.ast.RuleAst;
import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Span;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Whatever the AST holds, the YAML printed for it loads with SnakeYAML and gives back every text; DSL words survive quoting. */
class YamlPrinterProperties {
    private static final List<String> TRICKY = List.of("", "true", "false", "yes", "no", "on", "null", "~", "1500",
            "0", "010", "0x1f", "1.5", "1e3", ".inf", "12:30", "172.17.10.10:80", "2001:db8::1/64", "fe80::", "::",
            "!docker0", "h[1..50]", "web[1..50]:eth0", "a: b", "a,b", "-", "-x", "? x", "#x", "x #y", "&a", "*a",
            "|", ">", "'q'", "\"q\"", "%x", "@x", "`x", "{}", "[]", "a\\b", "2024-01-01", "<<", "=", " lead",
            "trail ", "tab\tx", "new\nline", "é", "02:00:00:00:00:01", "10.0.0.1/24", "default", "auto");
    private static final String CHARS = "abcxyzAZ0189._-/:![]{},#&*|>'\"%@?~ \t\\=+`é";

    @Property(tries = 300)
    void yamlAlwaysLoadsAndScalarsSurvive(@ForAll long seed) {
        TopologyAst ast = new Generator(new Random(seed)).topology();
        String yaml = YamlPrinter.print(ast);
        YamlReadBack.assertReadsBackAs(ast, yaml);
    }

    @Property(tries = 300)
    void dslWordsAreWordsOrQuotedWithOnlyTheTwoEscapes(@ForAll long seed) {
        String text = new Generator(new Random(seed)).text();
        String word = DslPrinter.word(text);
        if (DslPrinter.isPlainWord(text)) {
            assertEquals(text, word);
        } else {
            assertTrue(word.length() >= 2 && word.startsWith("\"") && word.endsWith("\""), word);
            assertEquals(text, unquote(word.substring(1, word.length() - 1)));
        }
    }

    @Property(tries = 100)
    void dslOutputIsCanonicallySpaced(@ForAll long seed) {
        String dsl = DslPrinter.print(new Generator(new Random(seed)).topology());
        assertTrue(dsl.isEmpty() || dsl.endsWith("\n") && !dsl.endsWith("\n\n"), dsl);
        assertFalse(dsl.contains("\n\n\n"), dsl);
    }

    /** Reads a quoted DSL word's inside as the lexer does: {@code \"} and {@code \\} escapes, no bare quote. */
    private static String unquote(String inner) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            assertTrue(c != '"', inner);
            if (c == '\\') {
                char next = inner.charAt(++i);
                assertTrue(next == '"' || next == '\\', inner);
                c = next;
            }
            b.append(c);
        }
        return b.toString();
    }

    private static final class Generator {
        private final Random random;

        Generator(Random random) {
            this.random = random;
        }

        String text() {
            if (random.nextInt(3) == 0) {
                return TRICKY.get(random.nextInt(TRICKY.size()));
            }
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(8);
            for (int i = 0; i < n; i++) {
                b.append(CHARS.charAt(random.nextInt(CHARS.length())));
            }
            return b.toString();
        }

        Lit lit() {
            return Lit.synthetic(text());
        }

        /** Distinct texts, for map keys. */
        List<String> names(int max) {
            Set<String> names = new LinkedHashSet<>();
            int n = random.nextInt(max + 1);
            for (int i = 0; i < n; i++) {
                names.add(text());
            }
            return new ArrayList<>(names);
        }

        List<Prop> props(Keys.Context context) {
            List<Prop> props = new ArrayList<>();
            for (String key : Keys.of(context)) {
                Keys.Shape shape = Keys.shape(context, key).orElseThrow();
                if (shape == Keys.Shape.NESTED || shape == Keys.Shape.PAIRS || random.nextInt(3) != 0) {
                    continue;
                }
                List<Lit> values = new ArrayList<>();
                if (shape == Keys.Shape.LIST) {
                    int n = 1 + random.nextInt(3);
                    for (int i = 0; i < n; i++) {
                        values.add(lit());
                    }
                } else if (shape == Keys.Shape.FLAG) {
                    int pick = random.nextInt(4);
                    if (pick == 1) {
                        values.add(Lit.synthetic("true"));
                    } else if (pick == 2) {
                        values.add(Lit.synthetic("false"));
                    } else if (pick == 3) {
                        values.add(lit());
                    }
                } else {
                    values.add(lit());
                }
                props.add(new Prop(Lit.synthetic(key), values));
            }
            java.util.Collections.shuffle(props, random);
            return props;
        }

        TopologyAst topology() {
            List<NodeAst> nodes = names(4).stream().map(this::node).toList();
            List<LinkAst> links = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                links.add(new LinkAst(Span.NONE, lit(), lit(),
                        props(Keys.Context.LINK).stream().filter(p -> !Set.of("a", "b").contains(p.name())).toList()));
            }
            List<ExpectAst> expects = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                expects.add(new ExpectAst(Span.NONE, props(Keys.Context.EXPECT)));
            }
            Lit name = random.nextInt(5) == 0 ? null : lit();
            return new TopologyAst(Span.NONE, Syntax.DSL, name, nodes, links, expects, List.of());
        }

        NodeAst node(String name) {
            List<Prop> props = new ArrayList<>(props(Keys.Context.NODE));
            for (String key : names(2)) {
                props.add(new Prop(Lit.synthetic("sysctl"), List.of(Lit.synthetic(key), lit())));
            }
            for (int i = random.nextInt(3); i > 0; i--) {
                List<Lit> values = new ArrayList<>(List.of(lit(), lit()));
                if (random.nextBoolean()) {
                    values.add(lit());
                }
                props.add(new Prop(Lit.synthetic("listen"), values));
            }
            for (int i = random.nextInt(3); i > 0; i--) {
                props.add(new Prop(Lit.synthetic("run"), List.of(lit())));
            }
            List<IfaceAst> ifaces = names(3).stream()
                    .map(n -> new IfaceAst(Span.NONE, Lit.synthetic(n), props(Keys.Context.IFACE))).toList();
            List<RouteAst> routes = new ArrayList<>();
            List<RuleAst> rules = new ArrayList<>();
            List<NatAst> nat = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                routes.add(new RouteAst(Span.NONE, props(Keys.Context.ROUTE)));
                rules.add(new RuleAst(Span.NONE, props(Keys.Context.RULE)));
                nat.add(new NatAst(Span.NONE, props(Keys.Context.NAT)));
            }
            List<ChainAst> chains = new ArrayList<>();
            for (String chain : names(2)) {
                List<FwRuleAst> fw = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    fw.add(new FwRuleAst(Span.NONE, props(Keys.Context.FWRULE)));
                }
                chains.add(new ChainAst(Span.NONE, Lit.synthetic(chain), props(Keys.Context.CHAIN), fw));
            }
            return new NodeAst(Span.NONE, Lit.synthetic(name), props, ifaces, routes, rules, nat, chains);
        }
    }
}

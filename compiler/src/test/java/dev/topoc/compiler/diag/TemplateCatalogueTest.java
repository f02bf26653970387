package dev.topoc.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The compiler's wording catalogue: every code has a wording, and templates use their placeholders in order. */
class TemplateCatalogueTest {
    /** Templates that only pass on wording made elsewhere; each says where in its javadoc. */
    private static final Set<Msg> PASS_THROUGH = Set.of(Msg.SYNTAX_FROM_TABLE, Msg.YAML_PARSER_TEXT,
            Msg.YAML_PARSER_PROBLEM, Msg.SYSCTL_REFUSED, Msg.SYSCTL_REFUSED_CLOSE);

    private static List<Template> all() {
        List<Template> out = new ArrayList<>(List.of(Code.values()));
        out.addAll(List.of(Msg.values()));
        return out;
    }

    @Test
    void everyCodeHasItsOwnWordingOrSomeMsg() {
        List<Code> none = new ArrayList<>();
        for (Code c : Code.values()) {
            boolean variants = List.of(Msg.values()).stream().anyMatch(m -> m.code() == c);
            if (c.text() == null && !variants) {
                none.add(c);
            }
            assertTrue(c.text() == null || !variants, c + " has a wording of its own and Msg wordings: use one place");
        }
        assertEquals(List.of(), none, "codes no template reports");
    }

    @Test
    void placeholdersAreNumberedFromZeroWithoutGaps() {
        Pattern p = Pattern.compile("\\{(\\d+)}");
        for (Template t : all()) {
            if (t.text() == null) {
                continue;
            }
            Set<Integer> used = new TreeSet<>();
            for (String s : new String[] {t.text(), t.hint()}) {
                if (s != null) {
                    Matcher m = p.matcher(s);
                    while (m.find()) {
                        used.add(Integer.parseInt(m.group(1)));
                    }
                }
            }
            for (int k = 0; k < used.size(); k++) {
                assertTrue(used.contains(k), t + ": placeholder {" + k + "} is skipped in " + used);
            }
            assertTrue(t.hint() == null || !t.hint().isBlank(), t + ": an empty hint");
        }
    }

    @Test
    void onlyTheListedTemplatesPassWordingThrough() {
        for (Template t : all()) {
            if (t.text() != null && t.text().equals("{0}")) {
                assertTrue(t instanceof Msg m && PASS_THROUGH.contains(m), t + " is only `{0}`: write its wording");
            }
        }
    }

    @Test
    void formatFillsPlaceholdersLiterallyAndJoinsTheHint() {
        assertEquals("range `a[9..1]` in `a[9..1]` counts down; write the smaller bound first: `[1..9]`",
                Msg.RANGE_COUNTS_DOWN.format("a[9..1]", "a[9..1]", 1, 9));
        assertEquals("x {1} {y} 1000 $1", Template.fill("{0} {1} {y} {2} $1", "x", "{1}", 1000));
        assertThrows(IllegalArgumentException.class, () -> Template.fill("{0} {1}", "only one"));
        Diagnostic d = Msg.RANGE_TOO_LARGE.at(Span.of("f", 1, 1, 1), "a", "b");
        assertEquals(Severity.ERROR, d.severity(), "the severity is the code's");
        assertEquals(Code.BAD_RANGE, d.code());
        Diagnostics all = new Diagnostics();
        Diagnostic w = all.report(Code.SUBNET_ZERO_HOST, Span.of("f", 2, 1, 1), "10.0.0.0/24", "a:eth0", "10.0.0.1", 24);
        assertEquals(Severity.WARNING, w.severity());
        assertEquals(1, all.warningCount());
    }
}

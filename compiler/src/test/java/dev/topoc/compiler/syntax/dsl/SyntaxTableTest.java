package dev.topoc.compiler.syntax.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.TestSupport;
import dev.topoc.grammar.TopoParser;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The syntax-message table beside the grammar (syntax-messages.tsv) against the grammar itself
 * (TopoParser.g4, read as text): every statement rule has its entries, every block rule says where it is,
 * and every rule and token the table names exists.
 */
class SyntaxTableTest {
    private static final Pattern RULE = Pattern.compile("(?ms)^([a-z_]+)\\s*:(.*?);\\s*$");

    /** Rule name → body, from the .g4 with comments removed. */
    private static Map<String, String> grammarRules() throws IOException {
        String g4 = Files.readString(TestSupport.root().resolve("grammar/src/main/antlr4/dev/topoc/grammar/TopoParser.g4"));
        g4 = g4.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Map<String, String> rules = new LinkedHashMap<>();
        Matcher m = RULE.matcher(g4);
        while (m.find()) {
            rules.put(m.group(1), m.group(2).trim());
        }
        assertTrue(rules.size() > 40, "read only " + rules.size() + " rules from TopoParser.g4: is the pattern stale?");
        assertEquals(Arrays.asList(TopoParser.ruleNames), List.copyOf(rules.keySet()),
                "the rules read from the .g4 are the generated parser's");
        return rules;
    }

    /** The statement rules: the alternatives of the grammar's statement lists ({@code s_stmt}, {@code n_stmt}). */
    private static List<String> statementRules(Map<String, String> rules) {
        List<String> out = new ArrayList<>();
        rules.forEach((name, body) -> {
            if (name.endsWith("_stmt")) {
                for (String alt : body.split("\\|")) {
                    assertTrue(alt.trim().matches("[a-z_]+"), name + ": an alternative that is not one rule: " + alt);
                    out.add(alt.trim());
                }
            }
        });
        assertTrue(out.size() >= 16, "found only " + out.size() + " statement rules");
        return out;
    }

    @Test
    void everyStatementRuleIsCoveredByTheTable() throws IOException {
        SyntaxTable t = SyntaxTable.read();
        List<String> missing = new ArrayList<>();
        for (String rule : statementRules(grammarRules())) {
            int i = Arrays.asList(TopoParser.ruleNames).indexOf(rule);
            if (!t.isStatement(i)) {
                missing.add("statement\t" + rule);
            }
            if (!t.values.containsKey(i) && !t.noValue.containsKey(i)) {
                missing.add("value\t" + rule + "\t*\tTEXT   (or: no-value\t" + rule + "\tREASON)");
            }
        }
        assertEquals(List.of(), missing, "syntax-messages.tsv lacks rows for statement rules of the grammar");
    }

    @Test
    void everyRuleHoldingAStatementListIsABlock() throws IOException {
        SyntaxTable t = SyntaxTable.read();
        List<String> missing = new ArrayList<>();
        grammarRules().forEach((name, body) -> {
            boolean list = body.matches("(?s).*\\b[a-z_]+_stmt\\*.*") || body.matches("(?s)LBRACE [a-z_]+\\* RBRACE");
            int i = Arrays.asList(TopoParser.ruleNames).indexOf(name);
            if (list && t.block(i) == null) {
                missing.add("block\t" + name + "\tTEXT");
            }
            if (!list && t.block(i) != null) {
                missing.add(name + " is no statement list but has a `block` row");
            }
        });
        assertEquals(List.of(), missing);
    }

    @Test
    void everyRuleTheTableNamesExistsAndOptionRulesAreStatements() {
        SyntaxTable t = SyntaxTable.read(); // resolving the names throws on an unknown one
        assertTrue(t.rows.size() > 50, "the table has only " + t.rows.size() + " rows");
        t.options.forEach((stmt, opt) -> assertTrue(t.isStatement(stmt),
                TopoParser.ruleNames[stmt] + " has options but is not listed as a statement"));
        List<String> g4Statements = new ArrayList<>();
        t.noValue.forEach((rule, reason) -> {
            assertTrue(reason.length() > 10, TopoParser.ruleNames[rule] + ": give a reason");
            assertTrue(!t.values.containsKey(rule), TopoParser.ruleNames[rule] + " has both values and no-value");
            g4Statements.add(TopoParser.ruleNames[rule]);
        });
        assertTrue(!g4Statements.isEmpty());
    }

    @Test
    void aRowNamingAMissingRuleOrTokenIsRefused() {
        var rule = assertThrows(IllegalStateException.class, () -> SyntaxTable.parse("statement\tn_nosuch\n"));
        assertTrue(rule.getMessage().contains(":1: no grammar rule `n_nosuch`"), rule.getMessage());
        var token = assertThrows(IllegalStateException.class,
                () -> SyntaxTable.parse("# comment\nvalue\tn_sysctl\tNOSUCH\ta value\n"));
        assertTrue(token.getMessage().contains(":2: no token `NOSUCH`"), token.getMessage());
        var columns = assertThrows(IllegalStateException.class, () -> SyntaxTable.parse("block\tfile\n"));
        assertTrue(columns.getMessage().contains("takes 3 columns, found 2"), columns.getMessage());
        assertThrows(IllegalStateException.class, () -> SyntaxTable.parse("blocks\tfile\tx\n"));
    }

    @Test
    void valuesMatchTheTokenBeforeThemInOrder() {
        SyntaxTable t = SyntaxTable.read();
        int listen = Arrays.asList(TopoParser.ruleNames).indexOf("n_listen");
        assertEquals("a protocol (`tcp` or `udp`)", t.value(listen, dev.topoc.grammar.TopoLexer.LISTEN));
        assertEquals("an address of the node", t.value(listen, dev.topoc.grammar.TopoLexer.ON));
        assertEquals("a port or a range `LO-HI`", t.value(listen, dev.topoc.grammar.TopoLexer.WORD));
        assertEquals("a value", t.value(Arrays.asList(TopoParser.ruleNames).indexOf("i_flag"), 0));
    }
}

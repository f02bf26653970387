package dev.topoc.compiler.syntax.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.TestSupport;
import dev.topoc.compiler.ast.IfaceAst;
import dev.topoc.compiler.ast.Lit;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.grammar.TopoLexer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The grammar's interface kind tokens are exactly {@link IfKind}'s words, and each one parses to its kind. */
class GrammarKindsTest {
    @Test
    void ifaceKindRuleListsTheWordsOfIfKindInItsOrder() throws IOException {
        String parser = Files.readString(TestSupport.root()
                .resolve("grammar/src/main/antlr4/dev/topoc/grammar/TopoParser.g4"));
        Matcher m = Pattern.compile("(?m)^iface_kind\\s*:([^;]*);").matcher(parser);
        assertEquals(true, m.find(), "TopoParser.g4 has no rule iface_kind");
        List<String> words = new ArrayList<>();
        for (String token : m.group(1).split("\\|")) {
            words.add(literal(token.trim()));
        }
        assertEquals(IfKind.words(), words, "iface_kind in TopoParser.g4 and IfKind disagree");
    }

    @Test
    void everyKindWordIsOneLexerTokenAndParsesToThatKindInBothInterfaceForms() {
        for (IfKind kind : IfKind.values()) {
            TopoLexer lexer = new TopoLexer(org.antlr.v4.runtime.CharStreams.fromString(kind.word()));
            List<? extends org.antlr.v4.runtime.Token> tokens = lexer.getAllTokens();
            assertEquals(1, tokens.size(), kind.word());
            assertEquals("'" + kind.word() + "'", TopoLexer.VOCABULARY.getLiteralName(tokens.get(0).getType()), kind.word());
            for (String form : List.of("iface x " + kind.word(), kind.word() + " x")) {
                Compilation c = TestSupport.dsl("node n {\n  " + form + "\n}\n");
                IfaceAst iface = c.ast().nodes().get(0).interfaces().get(0);
                assertEquals(kind.word(), iface.value("kind").map(Lit::text).orElse(null), form);
            }
        }
    }

    private static String literal(String symbolic) {
        int type = Arrays.asList(symbolicNames()).indexOf(symbolic);
        if (type < 0) {
            throw new AssertionError("iface_kind names " + symbolic + ", which is no lexer token");
        }
        String literal = TopoLexer.VOCABULARY.getLiteralName(type);
        return literal == null ? symbolic : literal.substring(1, literal.length() - 1);
    }

    private static String[] symbolicNames() {
        String[] names = new String[TopoLexer.VOCABULARY.getMaxTokenType() + 1];
        for (int t = 0; t < names.length; t++) {
            names[t] = TopoLexer.VOCABULARY.getSymbolicName(t);
        }
        return names;
    }
}

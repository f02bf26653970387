package dev.topoc.compiler.syntax.dsl;

import dev.topoc.grammar.TopoLexer;
import dev.topoc.grammar.TopoParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.Token;

/**
 * The DSL's syntax-message table, {@code dev/topoc/grammar/syntax-messages.tsv} beside the grammar: how the
 * error strategy names blocks, option lists, keyword positions, statements and the values expected in them.
 * Rule and token names are resolved against the generated parser and lexer when the table is read; a name
 * that does not exist is a bug in the table and stops the class from loading (SyntaxTableTest checks the
 * table against the grammar as well).
 */
final class SyntaxTable {
    static final String RESOURCE = "/dev/topoc/grammar/syntax-messages.tsv";

    /** One row of the table: its kind, rule, further columns and line. */
    record Row(String kind, String rule, List<String> args, int line) {}

    /** One {@code value} row: the value's description after the token type {@code after} (-1: any token). */
    record Value(int after, String text) {}

    private static final SyntaxTable TABLE = read();

    final List<Row> rows;
    final Map<Integer, String> blocks = new HashMap<>();
    final Map<Integer, Integer> options = new HashMap<>();
    final Map<Integer, String> positions = new HashMap<>();
    final Set<Integer> statements = new HashSet<>();
    final Map<Integer, List<Value>> values = new HashMap<>();
    final Map<Integer, String> noValue = new LinkedHashMap<>();

    static SyntaxTable get() {
        return TABLE;
    }

    private SyntaxTable(List<Row> rows) {
        this.rows = List.copyOf(rows);
        for (Row r : rows) {
            int rule = rule(r.rule(), r);
            switch (r.kind()) {
                case "block" -> blocks.put(rule, arg(r, 0, 1));
                case "options" -> options.put(rule, rule(arg(r, 0, 1), r));
                case "position" -> positions.put(rule, arg(r, 0, 1));
                case "statement" -> {
                    arity(r, 0);
                    statements.add(rule);
                }
                case "value" -> {
                    String after = arg(r, 0, 2);
                    values.computeIfAbsent(rule, k -> new ArrayList<>())
                            .add(new Value(after.equals("*") ? -1 : token(after, r), arg(r, 1, 2)));
                }
                case "no-value" -> noValue.put(rule, arg(r, 0, 1));
                default -> throw bad(r, "unknown kind `" + r.kind() + "`");
            }
        }
    }

    /** How to say "in" a block rule, or null when the rule holds no statements. */
    String block(int rule) {
        return blocks.get(rule);
    }

    /** The option rule of a statement, or null. */
    Integer options(int rule) {
        return options.get(rule);
    }

    /** The name of a keyword position, or null. */
    String position(int rule) {
        return positions.get(rule);
    }

    boolean isStatement(int rule) {
        return statements.contains(rule);
    }

    /** What a value inside {@code rule} is after a token of type {@code prevType}. */
    String value(int rule, int prevType) {
        for (Value v : values.getOrDefault(rule, List.of())) {
            if (v.after() == -1 || v.after() == prevType) {
                return v.text();
            }
        }
        return "a value";
    }

    static SyntaxTable read() {
        try (InputStream in = SyntaxTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SyntaxTable parse(String text) {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new java.io.StringReader(text))) {
            int n = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                if (cols.length < 2) {
                    throw new IllegalStateException(RESOURCE + ":" + n + ": a row needs a kind and a rule");
                }
                rows.add(new Row(cols[0], cols[1], Arrays.asList(cols).subList(2, cols.length), n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SyntaxTable(rows);
    }

    static int rule(String name, Row r) {
        int i = Arrays.asList(TopoParser.ruleNames).indexOf(name);
        if (i < 0) {
            throw bad(r, "no grammar rule `" + name + "`");
        }
        return i;
    }

    static int token(String name, Row r) {
        for (int t = 1; t <= TopoLexer.VOCABULARY.getMaxTokenType(); t++) {
            if (name.equals(TopoLexer.VOCABULARY.getSymbolicName(t))) {
                return t;
            }
        }
        if (name.equals("EOF")) {
            return Token.EOF;
        }
        throw bad(r, "no token `" + name + "`");
    }

    private static String arg(Row r, int i, int count) {
        arity(r, count);
        String s = r.args().get(i);
        if (s.isBlank()) {
            throw bad(r, "column " + (i + 3) + " is empty");
        }
        return s;
    }

    private static void arity(Row r, int count) {
        if (r.args().size() != count) {
            throw bad(r, "`" + r.kind() + "` takes " + (count + 2) + " columns, found " + (r.args().size() + 2));
        }
    }

    private static IllegalStateException bad(Row r, String why) {
        return new IllegalStateException(RESOURCE + ":" + r.line() + ": " + why);
    }
}

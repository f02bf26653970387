package dev.topoc.compiler.syntax.dsl;

import dev.topoc.compiler.ast.Comment;
import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Msg;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.syntax.SourceFile;
import dev.topoc.grammar.TopoLexer;
import dev.topoc.grammar.TopoParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * The DSL front end: text → tokens → parse tree → {@link TopologyAst}.
 *
 * <p>The lexer tags keywords but the grammar accepts any word, keywords included, where a name or a
 * value goes, so keywords are positional. Comments travel on their own channel and come back as
 * {@link Comment}s for {@code fmt}. Syntax errors are all collected (ANTLR error recovery driven by
 * {@link DslErrorStrategy}, which phrases them for people) up to {@link #MAX_SYNTAX_ERRORS} per file;
 * the AST holds whatever parsed cleanly. Nothing thrown by the parser escapes {@link #parse}.
 */
public final class DslFrontEnd {
    /** Beyond this many syntax errors in one file the rest are counted but not reported. */
    public static final int MAX_SYNTAX_ERRORS = 100;

    private DslFrontEnd() {}

    public static TopologyAst parse(SourceFile source, Diagnostics diagnostics) {
        SyntaxErrors errors = new SyntaxErrors(source.path(), diagnostics);
        try {
            return parse(source, diagnostics, errors);
        } catch (RuntimeException | StackOverflowError e) {
            errors.report(1, 1, 1, Msg.PARSER_GAVE_UP.format(e.getClass().getSimpleName()));
            return empty(source);
        }
    }

    private static TopologyAst parse(SourceFile source, Diagnostics diagnostics, SyntaxErrors errors) {
        TopoLexer lexer = new TopoLexer(CharStreams.fromString(source.text(), source.path()));
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        List<Comment> comments = new ArrayList<>();
        for (Token t : tokens.getTokens()) {
            if (t.getChannel() == TopoLexer.COMMENTS) {
                comments.add(new Comment(t.getText(), errors.span(t)));
            } else if (t.getType() == TopoLexer.BAD_STRING) {
                errors.report(t, Msg.UNTERMINATED_QUOTE.format());
            }
        }
        TopoParser parser = new TopoParser(tokens);
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        parser.setErrorHandler(new DslErrorStrategy(errors::report));
        TopoParser.FileContext tree = parser.file();
        return new DslAstBuilder(source.path(), diagnostics).build(tree, comments);
    }

    private static TopologyAst empty(SourceFile source) {
        return new TopologyAst(Span.of(source.path(), 1, 1, 1), Syntax.DSL, null, List.of(), List.of(), List.of(),
                List.of());
    }

    /** Turns syntax errors into capped {@link Code#SYNTAX} diagnostics. */
    private static final class SyntaxErrors extends BaseErrorListener {
        private final String path;
        private final Diagnostics diagnostics;
        private int count;

        SyntaxErrors(String path, Diagnostics diagnostics) {
            this.path = path;
            this.diagnostics = diagnostics;
        }

        void report(Token t, String message) {
            if (t.getType() == TopoLexer.BAD_STRING && !message.startsWith("unterminated")) {
                return; // the open quote is already reported, and explains what follows
            }
            report(t.getLine(), t.getCharPositionInLine() + 1, length(t), message);
        }

        void report(int line, int column, int length, String message) {
            count++;
            if (count <= MAX_SYNTAX_ERRORS) {
                diagnostics.report(Msg.SYNTAX_FROM_TABLE, Span.of(path, Math.max(1, line), Math.max(1, column), length),
                        message);
            } else if (count == MAX_SYNTAX_ERRORS + 1) {
                diagnostics.report(Msg.TOO_MANY_SYNTAX_ERRORS,
                        Span.of(path, Math.max(1, line), Math.max(1, column), length));
            }
        }

        Span span(Token t) {
            return Span.of(path, t.getLine(), t.getCharPositionInLine() + 1, length(t));
        }

        private static int length(Token t) {
            return t.getType() == Token.EOF || t.getText() == null ? 1 : t.getText().length();
        }

        /** Only reached for input the lexer cannot tag (it tags every character) or by a parser bypassing the strategy. */
        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int column, String msg,
                RecognitionException e) {
            if (offendingSymbol instanceof Token t) {
                report(t, "unexpected " + DslErrorStrategy.show(t));
            } else {
                report(line, column + 1, 1, "unexpected character");
            }
        }
    }
}

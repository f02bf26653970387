package dev.topoc.compiler.syntax.dsl;

import dev.topoc.compiler.ast.Keys;
import dev.topoc.grammar.TopoLexer;
import dev.topoc.grammar.TopoParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.atn.ATNState;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * ANTLR's error recovery with messages written for people. ANTLR decides where input went wrong and
 * how to resynchronise; this class only phrases what happened from the rule being parsed, the token
 * before the error and the set of tokens that would have been accepted. Recovery never deletes or
 * skips over half a block: braces are skipped in balanced pairs, and a statement keyword of an
 * enclosing block ends an unclosed block (reported as a missing `}`) instead of being called unknown.
 */
final class DslErrorStrategy extends DefaultErrorStrategy {
    /** Rules that hold a sequence of statements, and how to say "in" them. */
    private static final Map<Integer, String> BLOCKS = Map.of(
            TopoParser.RULE_file, "at the top level",
            TopoParser.RULE_s_node, "in a node block",
            TopoParser.RULE_i_block, "in an interface block",
            TopoParser.RULE_l_block, "in a link block",
            TopoParser.RULE_m_block, "in a machine block",
            TopoParser.RULE_f_block, "in a firewall block");

    /** For a statement, the rule listing the option words that may follow it. */
    private static final Map<Integer, Integer> OPTIONS = Map.of(
            TopoParser.RULE_n_iface, TopoParser.RULE_i_pair,
            TopoParser.RULE_n_kind_iface, TopoParser.RULE_i_pair,
            TopoParser.RULE_n_lo, TopoParser.RULE_i_pair,
            TopoParser.RULE_n_route, TopoParser.RULE_r_key,
            TopoParser.RULE_n_rule, TopoParser.RULE_ru_key,
            TopoParser.RULE_n_nat, TopoParser.RULE_na_opt,
            TopoParser.RULE_f_rule, TopoParser.RULE_f_key,
            TopoParser.RULE_s_expect, TopoParser.RULE_e_opt,
            TopoParser.RULE_s_link, TopoParser.RULE_l_key,
            TopoParser.RULE_s_machine, TopoParser.RULE_m_key);

    /** Named keyword positions: how to call what is expected there. */
    private static final Map<Integer, String> KEYWORD_POSITIONS = Map.of(
            TopoParser.RULE_nat_type, "a NAT type",
            TopoParser.RULE_chain_name, "a firewall chain",
            TopoParser.RULE_f_action, "a firewall action",
            TopoParser.RULE_e_reach, "`reach` or `noreach`",
            TopoParser.RULE_node_kind, "a node kind");

    private final BiConsumer<Token, String> sink;

    DslErrorStrategy(BiConsumer<Token, String> sink) {
        this.sink = sink;
    }

    // ---- recovery ------------------------------------------------------------------------------

    @Override
    public void sync(Parser recognizer) {
        if (inErrorRecoveryMode(recognizer)) {
            return;
        }
        ATNState s = recognizer.getInterpreter().atn.states.get(recognizer.getState());
        int la = recognizer.getInputStream().LA(1);
        IntervalSet next = recognizer.getATN().nextTokens(s);
        if (next.contains(la) || next.contains(Token.EPSILON)) {
            return;
        }
        boolean loop = switch (s.getStateType()) {
            case ATNState.STAR_LOOP_ENTRY, ATNState.STAR_LOOP_BACK, ATNState.PLUS_LOOP_BACK -> true;
            default -> false;
        };
        if (!loop) {
            super.sync(recognizer);
            return;
        }
        IntervalSet enclosing = getErrorRecoverySet(recognizer);
        IntervalSet here = recognizer.getExpectedTokens();
        while (!next.contains(la) && !enclosing.contains(la) && la != Token.EOF) {
            // enclosing: belongs to an enclosing block, so the loop ends and reports the missing `}`
            reportUnwantedToken(recognizer);
            skipStatement(recognizer, here, enclosing);
            la = recognizer.getInputStream().LA(1);
            if (la != Token.EOF) {
                endErrorCondition(recognizer); // resynchronised: report the next error too
            }
        }
    }

    /**
     * Skips an unknown statement: up to the next word that starts a statement of this block, stepping
     * over whole {@code { … }} groups. A statement word of an enclosing block ends the skip only at the
     * start of a line, since keywords are also valid values inside the statement being skipped.
     */
    private static void skipStatement(Parser recognizer, IntervalSet here, IntervalSet enclosing) {
        TokenStream in = recognizer.getInputStream();
        int column = in.LT(1).getCharPositionInLine();
        int depth = 0;
        boolean first = true;
        for (int t = in.LA(1); t != Token.EOF; t = in.LA(1), first = false) {
            if (depth == 0 && !first && (here.contains(t) || startsLine(in)
                    && (enclosing.contains(t) || in.LT(1).getCharPositionInLine() <= column))) {
                return; // a statement of this block, or a new line no more indented than the bad one
            }
            if (t == TopoLexer.LBRACE) {
                depth++;
            } else if (t == TopoLexer.RBRACE && depth > 0) {
                depth--;
            }
            recognizer.consume();
        }
    }

    private static boolean startsLine(TokenStream in) {
        int i = in.index();
        return i == 0 || in.get(i - 1).getLine() < in.LT(1).getLine();
    }

    @Override
    protected Token singleTokenDeletion(Parser recognizer) {
        int la = recognizer.getInputStream().LA(1);
        if (la == TopoLexer.LBRACE || la == TopoLexer.RBRACE) {
            return null; // braces are structure: never silently drop one
        }
        return super.singleTokenDeletion(recognizer);
    }

    /** Skips to a token of {@code set}, stepping over whole {@code { … }} groups. */
    @Override
    protected void consumeUntil(Parser recognizer, IntervalSet set) {
        TokenStream in = recognizer.getInputStream();
        int depth = 0;
        for (int t = in.LA(1); t != Token.EOF; t = in.LA(1)) {
            if (depth == 0 && set.contains(t)) {
                return;
            }
            if (t == TopoLexer.LBRACE) {
                depth++;
            } else if (t == TopoLexer.RBRACE && depth > 0) {
                depth--;
            }
            recognizer.consume();
        }
    }

    // ---- reporting -----------------------------------------------------------------------------

    @Override
    public void reportError(Parser recognizer, RecognitionException e) {
        if (inErrorRecoveryMode(recognizer)) {
            return;
        }
        beginErrorCondition(recognizer);
        Token offending = e.getOffendingToken() != null ? e.getOffendingToken() : recognizer.getCurrentToken();
        ParserRuleContext ctx = e.getCtx() instanceof ParserRuleContext p ? p : recognizer.getContext();
        if (portForgotten(ctx, recognizer)) {
            return;
        }
        String message;
        if (e instanceof NoViableAltException nva && nva.getStartToken() != offending) {
            message = unexpected(recognizer, ctx, offending);
        } else if (e instanceof InputMismatchException || e instanceof NoViableAltException) {
            message = expected(recognizer, ctx, offending, e.getExpectedTokens(), false);
        } else {
            message = unexpected(recognizer, ctx, offending);
        }
        sink.accept(offending, message);
    }

    @Override
    protected void reportUnwantedToken(Parser recognizer) {
        if (inErrorRecoveryMode(recognizer)) {
            return;
        }
        beginErrorCondition(recognizer);
        Token t = recognizer.getCurrentToken();
        sink.accept(t, unwanted(recognizer, recognizer.getContext(), t, recognizer.getExpectedTokens()));
    }

    @Override
    protected void reportMissingToken(Parser recognizer) {
        if (inErrorRecoveryMode(recognizer)) {
            return;
        }
        beginErrorCondition(recognizer);
        if (portForgotten(recognizer.getContext(), recognizer)) {
            return;
        }
        Token t = recognizer.getCurrentToken();
        sink.accept(t, expected(recognizer, recognizer.getContext(), t, recognizer.getExpectedTokens(), true));
    }

    /**
     * {@code expect a -> b tcp reach}: the grammar takes {@code reach} as the port (any word may be a
     * value), and then misses {@code reach}. Said as what happened, at {@code tcp}.
     */
    private boolean portForgotten(ParserRuleContext ctx, Parser r) {
        ParserRuleContext c = ctx;
        while (c != null && !(c instanceof TopoParser.S_expectContext)) {
            c = c.getParent();
        }
        if (c == null) {
            return false;
        }
        TopoParser.E_protoContext proto = ((TopoParser.S_expectContext) c).e_proto();
        if (proto == null || proto.port == null || proto.port.getStart() == null) {
            return false;
        }
        Token port = proto.port.getStart();
        if (port.getType() != TopoLexer.REACH && port.getType() != TopoLexer.NOREACH) {
            return false;
        }
        String p = proto.getStart().getText();
        sink.accept(proto.getStart(), "`" + p + "` needs a port number before `" + port.getText() + "`, e.g. `" + p
                + " 80 " + port.getText() + "`");
        return true;
    }

    // ---- messages ------------------------------------------------------------------------------

    /** A token that no rule wants here: an unknown statement in a block, or a stray word elsewhere. */
    private String unwanted(Parser r, ParserRuleContext ctx, Token t, IntervalSet expected) {
        String where = BLOCKS.get(ctx.getRuleIndex());
        if (where == null) {
            return "unexpected " + show(t) + after(r, ctx, t) + "; expected " + describe(r, ctx, t, expected);
        }
        if (t.getType() == TopoLexer.RBRACE && ctx.getRuleIndex() == TopoParser.RULE_file) {
            return "unexpected `}`: no block is open";
        }
        ParserRuleContext last = lastStatement(ctx);
        if (last instanceof TopoParser.N_routeContext route && route.dest != null && (t.getType() == TopoLexer.BLACKHOLE
                || t.getType() == TopoLexer.UNREACHABLE || t.getType() == TopoLexer.PROHIBIT)) {
            return "unexpected " + show(t) + " after the destination: the route type comes first, as in iproute2; "
                    + "write `route " + t.getText() + " " + clip(route.dest.getText()) + "`";
        }
        if (t.getType() != TopoLexer.WORD) {
            return "unexpected " + show(t) + " " + where;
        }
        List<String> statements = keywords(expected);
        List<String> candidates = new ArrayList<>(statements);
        if (last != null) {
            int options = OPTIONS.get(last.getRuleIndex());
            candidates.addAll(keywords(r.getATN().nextTokens(r.getATN().ruleToStartState[options])));
        }
        Optional<String> hint = Keys.closest(t.getText(), candidates);
        if (hint.isEmpty()) {
            return "unknown statement " + show(t) + " " + where;
        }
        if (statements.contains(hint.get())) {
            return "unknown statement " + show(t) + " " + where + "; did you mean `" + hint.get() + "`?";
        }
        return "unknown option " + show(t) + " for `" + last.getStart().getText() + "`; did you mean `"
                + hint.get() + "`?";
    }

    /** Something required is missing or wrong: "expected X after `Y`". */
    private String expected(Parser r, ParserRuleContext ctx, Token t, IntervalSet set, boolean missing) {
        if (set.contains(TopoLexer.RBRACE) && (set.size() == 1 || t.getType() == Token.EOF)) {
            Token open = openBrace(ctx);
            if (open != null) {
                return "expected `}` to close the block opened at line " + open.getLine() + ", column "
                        + (open.getCharPositionInLine() + 1);
            }
        }
        String message = "expected " + describe(r, ctx, t, set) + after(r, ctx, t);
        if (!missing && t.getType() == TopoLexer.WORD) {
            Optional<String> hint = Keys.closest(t.getText(), keywords(set));
            if (hint.isPresent()) {
                return message + "; did you mean `" + hint.get() + "`?";
            }
        }
        return message;
    }

    private String unexpected(Parser r, ParserRuleContext ctx, Token t) {
        if (t.getType() == Token.EOF) {
            Token open = openBrace(ctx);
            return open == null
                    ? "unexpected end of file" + after(r, ctx, t)
                    : "unexpected end of file: expected `}` to close the block opened at line " + open.getLine()
                            + ", column " + (open.getCharPositionInLine() + 1);
        }
        return "unexpected " + show(t) + after(r, ctx, t);
    }

    /** What a set of expected tokens means at this place. */
    private String describe(Parser r, ParserRuleContext ctx, Token t, IntervalSet set) {
        if (set.contains(TopoLexer.WORD)) {
            return valueDescription(ctx, previous(r, t));
        }
        List<String> items = new ArrayList<>();
        for (int type : set.toArray()) {
            String item = tokenName(type);
            if (item != null && !items.contains(item)) {
                items.add(item);
            }
        }
        String list = items.size() > 8 ? String.join(", ", items.subList(0, 6)) + ", …" : joinOr(items);
        String noun = KEYWORD_POSITIONS.get(ctx.getRuleIndex());
        if (noun != null && !noun.startsWith("`")) {
            return noun + " (" + list + ")";
        }
        return list.isEmpty() ? "something else" : list;
    }

    private static String valueDescription(ParserRuleContext ctx, Token prev) {
        ParserRuleContext owner = ctx;
        while (owner != null && (owner.getRuleIndex() == TopoParser.RULE_word
                || owner.getRuleIndex() == TopoParser.RULE_plain || owner.getRuleIndex() == TopoParser.RULE_keyword)) {
            owner = owner.getParent();
        }
        int prevType = prev == null ? Token.INVALID_TYPE : prev.getType();
        int rule = owner == null ? -1 : owner.getRuleIndex();
        return switch (rule) {
            case TopoParser.RULE_s_topology -> "a topology name";
            case TopoParser.RULE_s_node -> "a node name";
            case TopoParser.RULE_s_machine -> "a machine name";
            case TopoParser.RULE_m_pair -> prevType == TopoLexer.MTU ? "an MTU" : "an address";
            case TopoParser.RULE_n_iface, TopoParser.RULE_n_kind_iface -> "an interface name";
            case TopoParser.RULE_n_machine -> "a machine name";
            case TopoParser.RULE_n_sysctl -> prevType == TopoLexer.SYSCTL ? "a sysctl key" : "a value";
            case TopoParser.RULE_n_listen -> prevType == TopoLexer.LISTEN ? "a protocol (`tcp` or `udp`)"
                    : prevType == TopoLexer.ON ? "an address of the node" : "a port or a range `LO-HI`";
            case TopoParser.RULE_n_run -> "a command in double quotes, e.g. `run \"python3 -m http.server 80\"`";
            case TopoParser.RULE_n_route -> "a destination (`default` or an address with a prefix)";
            case TopoParser.RULE_s_link -> "an endpoint `node:interface`";
            case TopoParser.RULE_s_expect -> prevType == TopoLexer.ARROW
                    ? "a destination (a node, `node:interface` or an address)"
                    : "a node name";
            case TopoParser.RULE_e_proto -> "a port number";
            case TopoParser.RULE_e_lands, TopoParser.RULE_e_via -> "a node name";
            case TopoParser.RULE_i_address -> "an address";
            case TopoParser.RULE_f_policy -> "a policy (`accept` or `drop`)";
            default -> "a value";
        };
    }

    /** " after `…`": the statement so far when it is short, else the previous word. */
    private static String after(Parser r, ParserRuleContext ctx, Token t) {
        Token prev = previous(r, t);
        if (prev == null) {
            return "";
        }
        ParserRuleContext statement = ctx;
        while (statement != null && !isStatement(statement.getRuleIndex())) {
            statement = statement.getParent();
        }
        String text = clip(prev.getText());
        if (statement != null && statement.getStart() != null) {
            int from = statement.getStart().getTokenIndex();
            List<String> words = new ArrayList<>();
            TokenStream in = r.getInputStream();
            for (int i = from; i >= 0 && i <= prev.getTokenIndex(); i++) {
                Token w = in.get(i);
                if (w.getChannel() == Token.DEFAULT_CHANNEL) {
                    words.add(clip(w.getText()));
                }
            }
            if (!words.isEmpty() && words.size() <= 4) {
                text = String.join(" ", words);
            }
        }
        return " after `" + text + "`";
    }

    private static boolean isStatement(int rule) {
        return switch (rule) {
            case TopoParser.RULE_s_topology, TopoParser.RULE_s_node, TopoParser.RULE_s_link, TopoParser.RULE_s_expect,
                    TopoParser.RULE_s_machine, TopoParser.RULE_m_pair,
                    TopoParser.RULE_n_forwarding, TopoParser.RULE_n_machine, TopoParser.RULE_n_sysctl,
                    TopoParser.RULE_n_listen, TopoParser.RULE_n_run,
                    TopoParser.RULE_n_iface, TopoParser.RULE_n_kind_iface, TopoParser.RULE_n_lo,
                    TopoParser.RULE_n_route, TopoParser.RULE_n_rule, TopoParser.RULE_n_nat, TopoParser.RULE_n_firewall,
                    TopoParser.RULE_i_address, TopoParser.RULE_i_flag, TopoParser.RULE_i_scalar, TopoParser.RULE_l_pair,
                    TopoParser.RULE_r_opt, TopoParser.RULE_ru_opt, TopoParser.RULE_na_pair, TopoParser.RULE_f_policy,
                    TopoParser.RULE_f_rule, TopoParser.RULE_f_opt, TopoParser.RULE_e_proto, TopoParser.RULE_e_via,
                    TopoParser.RULE_e_lands -> true;
            default -> false;
        };
    }

    /** The default-channel token before {@code t}, or null at the start of the file. */
    private static Token previous(Parser r, Token t) {
        TokenStream in = r.getInputStream();
        int i = t.getTokenIndex() >= 0 ? t.getTokenIndex() - 1 : in.index() - 1;
        for (; i >= 0; i--) {
            Token p = in.get(i);
            if (p.getChannel() == Token.DEFAULT_CHANNEL) {
                return p;
            }
        }
        return null;
    }

    /** The statement just parsed in a block (its last child), if it takes options. */
    private static ParserRuleContext lastStatement(ParserRuleContext block) {
        ParserRuleContext c = block;
        for (int depth = 0; depth < 4 && c != null; depth++) {
            if (depth > 0 && OPTIONS.containsKey(c.getRuleIndex())) {
                return c;
            }
            c = lastRuleChild(c);
        }
        return null;
    }

    private static ParserRuleContext lastRuleChild(ParserRuleContext c) {
        if (c.children == null) {
            return null;
        }
        for (int i = c.children.size() - 1; i >= 0; i--) {
            ParseTree child = c.children.get(i);
            if (child instanceof ParserRuleContext p) {
                return p;
            }
        }
        return null;
    }

    private static Token openBrace(ParserRuleContext ctx) {
        for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
            var brace = c.getToken(TopoLexer.LBRACE, 0);
            if (brace != null && brace.getSymbol().getTokenIndex() >= 0) {
                return brace.getSymbol();
            }
        }
        return null;
    }

    private static List<String> keywords(IntervalSet set) {
        List<String> names = new ArrayList<>();
        for (int type : set.toArray()) {
            String literal = TopoLexer.VOCABULARY.getLiteralName(type);
            if (literal != null && Character.isLetter(literal.charAt(1))) {
                names.add(literal.substring(1, literal.length() - 1));
            }
        }
        return names;
    }

    /** How a token type reads in "expected …", or null for types that never appear there. */
    static String tokenName(int type) {
        if (type == Token.EOF) {
            return "the end of the file";
        }
        if (type == TopoLexer.WORD || type == TopoLexer.STRING || type == TopoLexer.BAD_STRING) {
            return "a value";
        }
        String literal = TopoLexer.VOCABULARY.getLiteralName(type);
        return literal == null ? null : "`" + literal.substring(1, literal.length() - 1) + "`";
    }

    /** A token as shown in a message. */
    static String show(Token t) {
        if (t.getType() == Token.EOF) {
            return "end of file";
        }
        return "`" + clip(t.getText()) + "`";
    }

    private static String clip(String text) {
        String oneLine = text.replace('\n', ' ').replace('\r', ' ').replace('`', '\'');
        return oneLine.length() > 40 ? oneLine.substring(0, 37) + "..." : oneLine;
    }

    private static String joinOr(List<String> items) {
        if (items.size() <= 1) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.get(items.size() - 1);
    }
}

package dev.topoc.compiler.syntax.yaml;

import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Severity;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.syntax.SourceFile;
import dev.topoc.compiler.ast.Comment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.comments.CommentType;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CommentEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The YAML spelling of a topology (LANGUAGE.md §2) read into the same AST as the DSL.
 *
 * <p>Design. SnakeYAML is used only up to its <em>composer</em>: the text becomes a graph of
 * scalar, sequence and mapping nodes, each with the marks of where it was written, and no Java object
 * is ever constructed from the document. Three steps follow: loading under limits (aliases to
 * collections, nesting depth, document size), a scan that rejects every tag but the plain data tags,
 * and the {@link YamlWalker}, which reads the graph table-driven by {@code Keys}. Every problem
 * becomes a diagnostic with a position; nothing is thrown. Malformed YAML stops at the composer (it
 * cannot resynchronise), but all problems of a well-formed document are reported together. Comments
 * are read too (SnakeYAML's comment processing) and kept in the AST with their positions, so that
 * {@code fmt} and {@code convert} put them back, as for the DSL.
 */
public final class YamlFrontEnd {
    static final int MAX_ALIASES_FOR_COLLECTIONS = 50;
    static final int MAX_NESTING_DEPTH = 64;
    static final int MAX_CODE_POINTS = 64 * 1024 * 1024;

    /** The tags a topology may carry: plain data. Implicit resolution only ever yields these. */
    private static final Set<Tag> ALLOWED_TAGS =
            Set.of(Tag.STR, Tag.INT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ, Tag.FLOAT);

    private YamlFrontEnd() {}

    public static TopologyAst parse(SourceFile source, Diagnostics diagnostics) {
        Diagnostics withComments = new Diagnostics();
        TopologyAst ast = parse(source, withComments, true);
        if (withComments.all().stream().anyMatch(d -> d.code() == Code.YAML_SYNTAX) && readsWithoutComments(source)) {
            // SnakeYAML 2.5's comment processing rejects some valid YAML (`key: &anchor # comment` before a
            // nested block): read it as before, without its comments (fmt refuses such a file, see anchors())
            return parse(source, diagnostics, false);
        }
        diagnostics.addAll(withComments);
        return ast;
    }

    private static boolean readsWithoutComments(SourceFile source) {
        Diagnostics d = new Diagnostics();
        parse(source, d, false);
        return d.all().stream().noneMatch(x -> x.code() == Code.YAML_SYNTAX);
    }

    private static TopologyAst parse(SourceFile source, Diagnostics diagnostics, boolean comments) {
        YamlSpans spans = new YamlSpans(source);
        TrackingParser parser = null;
        try {
            LoaderOptions options = loaderOptions();
            options.setProcessComments(comments);
            parser = new TrackingParser(new ParserImpl(new StreamReader(source.text()), options));
            Node root = new Composer(parser, new PlainResolver(), options).getSingleNode();
            if (root == null || root instanceof ScalarNode && Tag.NULL.equals(root.getTag())
                    || Tag.COMMENT.equals(root.getTag())) { // comments only: SnakeYAML composes a comment node
                diagnostics.error(Code.MISSING_KEY, spans.start(),
                        "the file is empty: a topology starts with `topology: NAME` and `nodes:`");
                return YamlWalker.empty(spans.start());
            }
            checkTags(root, spans, diagnostics);
            TopologyAst ast = new YamlWalker(spans, diagnostics).topology(root);
            return new TopologyAst(ast.span(), ast.syntax(), ast.name(), ast.machines(), ast.nodes(), ast.links(), ast.expects(),
                    parser.comments(spans));
        } catch (YamlWalker.TooMuchWork e) {
            diagnostics.error(Code.INPUT_LIMIT, spans.of(e.where), "the document expands to more than "
                    + YamlWalker.MAX_VISITS + " YAML nodes through aliases; topoc stops reading here");
        } catch (YAMLException e) {
            report(e, spans, parser, diagnostics);
        } catch (RuntimeException e) {
            diagnostics.error(Code.YAML_SYNTAX, lastSpan(parser, spans),
                    "could not read this YAML: " + clean(String.valueOf(e.getMessage())));
        } catch (StackOverflowError e) {
            diagnostics.error(Code.INPUT_LIMIT, lastSpan(parser, spans), "the document is nested too deeply");
        }
        return YamlWalker.empty(spans.start());
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // the walker reports duplicates, pointing at both
        options.setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(true); // comments come back for fmt and convert (see TrackingParser)
        // Composing never constructs objects, so every tag may pass here: checkTags rejects the
        // non-plain ones afterwards, all of them and each at its node, instead of stopping at the first.
        options.setTagInspector(tag -> true);
        return options;
    }

    /** Every node (each shared node once) must carry a plain data tag. */
    private static void checkTags(Node root, YamlSpans spans, Diagnostics diagnostics) {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Node node = todo.pop();
            if (!seen.add(node)) {
                continue;
            }
            if (!ALLOWED_TAGS.contains(node.getTag())) {
                diagnostics.error(Code.WRONG_TYPE, spans.of(node), "tag `" + shortTag(node.getTag())
                        + "` is not allowed: a topology is plain data (allowed tags: !!str, !!int, !!float, "
                        + "!!bool, !!null, !!seq, !!map)");
            }
            if (node instanceof MappingNode map) {
                for (NodeTuple tuple : map.getValue()) {
                    todo.push(tuple.getValueNode());
                    todo.push(tuple.getKeyNode());
                }
            } else if (node instanceof SequenceNode seq) {
                seq.getValue().forEach(todo::push);
            }
        }
    }

    private static String shortTag(Tag tag) {
        String value = tag.getValue();
        return value.startsWith(Tag.PREFIX) ? "!!" + value.substring(Tag.PREFIX.length()) : value;
    }

    private static void report(YAMLException e, YamlSpans spans, TrackingParser parser, Diagnostics diagnostics) {
        String text = String.valueOf(e.getMessage());
        if (text.startsWith("Number of aliases for non-scalar nodes exceeds")) {
            diagnostics.error(Code.INPUT_LIMIT, lastSpan(parser, spans), "more than " + MAX_ALIASES_FOR_COLLECTIONS
                    + " aliases to lists or maps: topoc refuses documents that could expand exponentially");
        } else if (text.startsWith("Nesting Depth exceeded")) {
            diagnostics.error(Code.INPUT_LIMIT, lastSpan(parser, spans),
                    "the document is nested more than " + MAX_NESTING_DEPTH + " levels deep");
        } else if (text.startsWith("The incoming YAML document exceeds the limit")) {
            diagnostics.error(Code.INPUT_LIMIT, lastSpan(parser, spans),
                    "the document is larger than " + MAX_CODE_POINTS + " characters");
        } else if (e instanceof ReaderException r) {
            diagnostics.error(Code.YAML_SYNTAX, spans.pointAtCodePoint(r.getPosition()),
                    String.format("character U+%04X is not allowed in YAML", r.getCodePoint()));
        } else if (e instanceof MarkedYAMLException m) {
            diagnostics.add(syntaxError(m, spans, parser));
        } else {
            diagnostics.error(Code.YAML_SYNTAX, lastSpan(parser, spans), clean(text));
        }
    }

    private static Diagnostic syntaxError(MarkedYAMLException e, YamlSpans spans, TrackingParser parser) {
        Mark problemMark = e.getProblemMark();
        Mark contextMark = e.getContextMark();
        Mark where = problemMark != null ? problemMark : contextMark;
        String problem = e.getProblem() == null ? "malformed YAML" : clean(e.getProblem());
        String context = e.getContext() == null ? null : clean(e.getContext());
        String message;
        if (problem.contains("(TAB)")) {
            message = "a tab cannot indent YAML; use spaces";
        } else if (context == null || context.isEmpty()) {
            message = problem;
        } else if (problem.startsWith("but ")) {
            message = context + ", " + problem;
        } else {
            message = problem + " (" + context + ")";
        }
        Span span = where != null ? spans.point(where) : lastSpan(parser, spans);
        var diagnostic = new Diagnostic(Severity.ERROR, Code.YAML_SYNTAX, span, message, List.of());
        if (context != null && contextMark != null && problemMark != null
                && (contextMark.getLine() != problemMark.getLine() || contextMark.getColumn() != problemMark.getColumn())) {
            diagnostic = diagnostic.withNote(spans.point(contextMark), context);
        }
        return diagnostic;
    }

    /** SnakeYAML's text without Java class names, line breaks or trailing punctuation noise. */
    static String clean(String text) {
        return text.replaceAll("\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:\\$[\\w$]+)*", "")
                .replaceAll("\\s+", " ")
                .trim();
    }

    private static Span lastSpan(TrackingParser parser, YamlSpans spans) {
        return parser == null ? spans.start() : spans.point(parser.lastMark);
    }

    /** Resolves implicit scalars only to plain data tags (timestamps and the like stay strings). */
    private static final class PlainResolver extends Resolver {
        @Override
        public Tag resolve(NodeId kind, String value, boolean implicit) {
            Tag tag = super.resolve(kind, value, implicit);
            return ALLOWED_TAGS.contains(tag) ? tag : Tag.STR;
        }
    }

    /** Where a YAML file sets anchors ({@code &host}) and uses aliases ({@code *host}), in file order. */
    /**
     * Where a YAML file sets anchors and uses aliases; {@code commentsUnread}: SnakeYAML could not read
     * its comments (see {@link #parse}), so a rewrite would lose them.
     */
    public record Anchors(List<Span> anchors, List<Span> aliases, boolean commentsUnread) {
        public boolean any() {
            return !anchors.isEmpty() || !aliases.isEmpty();
        }
    }

    /**
     * The anchors and aliases of a YAML text (none when it does not parse: the front end reports that).
     * The AST holds what aliases stand for, copied; a printer that rewrote the file would expand them.
     */
    public static Anchors anchors(SourceFile source) {
        YamlSpans spans = new YamlSpans(source);
        List<Span> anchors = new ArrayList<>();
        List<Span> aliases = new ArrayList<>();
        try {
            LoaderOptions options = loaderOptions();
            options.setProcessComments(false);
            Parser parser = new ParserImpl(new StreamReader(source.text()), options);
            while (parser.peekEvent() != null && !parser.checkEvent(Event.ID.StreamEnd)) {
                Event e = parser.getEvent();
                if (e instanceof AliasEvent) {
                    aliases.add(spans.at(e.getStartMark(), e.getEndMark()));
                } else if (e instanceof NodeEvent n && n.getAnchor() != null) {
                    anchors.add(spans.point(e.getStartMark()));
                }
            }
        } catch (RuntimeException e) {
            // malformed: nothing to keep
        }
        Diagnostics withComments = new Diagnostics();
        parse(source, withComments, true);
        boolean unread = withComments.all().stream().anyMatch(d -> d.code() == Code.YAML_SYNTAX)
                && readsWithoutComments(source);
        return new Anchors(anchors, aliases, unread);
    }

    /**
     * Remembers where the last event started, the best position for errors that carry none, and the
     * comments the parser reports (the composer consumes them; {@code #} is put back on their text).
     */
    private static final class TrackingParser implements Parser {
        private final Parser delegate;
        private Mark lastMark;
        private final Set<Event> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        private final List<CommentEvent> comments = new ArrayList<>();

        TrackingParser(Parser delegate) {
            this.delegate = delegate;
        }

        List<Comment> comments(YamlSpans spans) {
            return comments.stream().filter(c -> c.getCommentType() != CommentType.BLANK_LINE)
                    .map(c -> new Comment("#" + c.getValue(), spans.point(c.getStartMark()),
                            c.getCommentType() == CommentType.IN_LINE)).toList();
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return delegate.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return remember(delegate.peekEvent());
        }

        @Override
        public Event getEvent() {
            return remember(delegate.getEvent());
        }

        private Event remember(Event event) {
            if (event != null && event.getStartMark() != null) {
                lastMark = event.getStartMark();
            }
            if (event instanceof CommentEvent c && seen.add(c)) {
                comments.add(c);
            }
            return event;
        }
    }
}

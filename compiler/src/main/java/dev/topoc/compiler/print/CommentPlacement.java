package dev.topoc.compiler.print;

import dev.topoc.compiler.ast.ChainAst;
import dev.topoc.compiler.ast.Comment;
import dev.topoc.compiler.ast.Entry;
import dev.topoc.compiler.ast.FwRuleAst;
import dev.topoc.compiler.ast.IfaceAst;
import dev.topoc.compiler.ast.LinkAst;
import dev.topoc.compiler.ast.MachineAst;
import dev.topoc.compiler.ast.Lit;
import dev.topoc.compiler.ast.NodeAst;
import dev.topoc.compiler.ast.Prop;
import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides where each comment of a topology is printed. The unit a comment attaches to is an
 * <em>item</em>: anything the DSL prints on a line of its own (the topology statement, a node, a node
 * statement such as {@code forwarding} or {@code sysctl}, an interface and each statement of its block,
 * a route, rule, nat, chain, firewall rule, link, link block statement, expect). Items are keyed by the
 * identity of their AST object.
 *
 * <ul>
 *   <li><b>trailing</b>: a comment with a token of the AST before it on its line belongs to the item
 *       owning the first token of that line, and is printed at the end of that item's (header) line;
 *   <li><b>end of block</b>: an own-line comment after the last item of a block (node, multi-statement
 *       interface, link or chain), indented at least as deep as that block's statements (in YAML, where
 *       indentation is structure: deeper than the block's key), stays at the end of the block;
 *   <li><b>leading</b>: any other own-line comment goes just before the first item that starts after it;
 *   <li><b>end of file</b>: what follows every item, or has no known position.
 * </ul>
 * Applied to the printer's own output, the placement gives the same answer, so {@code fmt} is idempotent.
 */
final class CommentPlacement {
    private static final List<String> NONE = List.of();

    private final Map<Object, List<String>> leading = new IdentityHashMap<>();
    private final Map<Object, List<String>> trailing = new IdentityHashMap<>();
    private final Map<Object, Integer> trailingLine = new IdentityHashMap<>();
    private final Map<Object, List<String>> end = new IdentityHashMap<>();
    private final List<String> endOfFile = new ArrayList<>();
    private final List<String> header = new ArrayList<>();

    private static final class Item {
        final Object owner;
        final Span pos;
        final Item parent;
        final boolean block;
        final List<Span> tokens = new ArrayList<>();
        /** The last line of this item's tokens and of its children's. */
        int lastLine;

        Item(Object owner, Span pos, Item parent, boolean block) {
            this.owner = owner;
            this.pos = pos;
            this.parent = parent;
            this.block = block;
        }
    }

    private final List<Item> items = new ArrayList<>();
    /** YAML: indentation is structure, so a block ends where a line is indented no deeper than its header. */
    private final boolean yaml;

    private CommentPlacement(boolean yaml) {
        this.yaml = yaml;
    }

    static CommentPlacement of(TopologyAst ast) {
        CommentPlacement placement = new CommentPlacement(ast.syntax() == dev.topoc.compiler.ast.Syntax.YAML);
        placement.outline(ast);
        List<Comment> rest = placement.takeHeader(ast.comments());
        for (Comment c : rest) {
            if (!placement.yaml || !placement.insideEntry(c)) {
                placement.place(c);
            }
        }
        placement.hoistInsideComments();
        return placement;
    }

    // ---- YAML entries written over several lines ------------------------------------------------

    /** Per entry written over several lines (YAML block style), the comments on its first line and inside it. */
    private final Map<Object, List<String>> firstLine = new IdentityHashMap<>();
    private final Map<Object, List<String>> inside = new IdentityHashMap<>();
    private final List<Item> entries = new ArrayList<>();

    /**
     * An interface, link or list item that YAML wrote over several lines (block style) is printed as
     * one line (a flow map) or as a DSL statement whose keys come in canonical order, so a comment inside
     * it has no line of its own to stay on; so is the header of a node or chain (its key and its
     * {@code kind:} or {@code policy:} line, one header line in the DSL). Such comments, and the one on its first line, all go before
     * the entry, in the order they were written (see {@link #hoistInsideComments()}).
     */
    private boolean insideEntry(Comment c) {
        Span at = c.span();
        if (at == null || !at.isKnown()) {
            return false;
        }
        Item entry = null;
        for (Item e : entries) {
            if (e.pos.line() <= at.line() && at.line() <= e.lastLine && e.lastLine > e.pos.line()) {
                entry = e;
            }
        }
        if (entry == null) {
            return false;
        }
        String text = c.text().strip();
        (at.line() == entry.pos.line() ? firstLine : inside).computeIfAbsent(entry.owner, k -> new ArrayList<>()).add(text);
        return true;
    }

    private void hoistInsideComments() {
        for (Item e : entries) {
            List<String> first = firstLine.getOrDefault(e.owner, NONE);
            List<String> in = inside.getOrDefault(e.owner, NONE);
            if (in.isEmpty()) {
                if (!first.isEmpty()) {
                    trailing.computeIfAbsent(e.owner, k -> new ArrayList<>()).addAll(first);
                }
                continue;
            }
            List<String> lead = leading.computeIfAbsent(e.owner, k -> new ArrayList<>());
            lead.addAll(first);
            lead.addAll(in);
        }
    }

    /**
     * The file header: the comment lines at the very top of the file, before any item, when a blank line
     * separates them from what follows. They are printed first, followed by one blank line.
     */
    private List<Comment> takeHeader(List<Comment> comments) {
        List<Comment> sorted = new ArrayList<>(comments);
        sorted.sort(Comparator.comparingInt((Comment c) -> c.span() == null ? Integer.MAX_VALUE : c.span().line()));
        int firstItemLine = items.stream().filter(i -> i.pos != null && i.pos.isKnown())
                .mapToInt(i -> i.pos.line()).min().orElse(Integer.MAX_VALUE);
        int run = 0;
        int expectedLine = 1;
        while (run < sorted.size() && sorted.get(run).span() != null && sorted.get(run).span().isKnown()
                && sorted.get(run).span().line() == expectedLine && expectedLine < firstItemLine) {
            run++;
            expectedLine++;
        }
        int nextLine = run < sorted.size() && sorted.get(run).span() != null && sorted.get(run).span().isKnown()
                ? Math.min(sorted.get(run).span().line(), firstItemLine) : firstItemLine;
        if (run == 0 || nextLine <= expectedLine) {
            return sorted;
        }
        sorted.subList(0, run).forEach(c -> header.add(c.text().strip()));
        return sorted.subList(run, sorted.size());
    }

    /** Comment lines printed at the top of the file, before a blank line. */
    List<String> header() {
        return header;
    }

    List<String> leading(Object owner) {
        return leading.getOrDefault(owner, NONE);
    }

    List<String> trailing(Object owner) {
        return trailing.getOrDefault(owner, NONE);
    }

    List<String> end(Object owner) {
        return end.getOrDefault(owner, NONE);
    }

    List<String> endOfFile() {
        return endOfFile;
    }

    boolean hasAny(Object owner) {
        return leading.containsKey(owner) || trailing.containsKey(owner) || end.containsKey(owner);
    }

    // ---- the items ---------------------------------------------------------------------------

    private void outline(TopologyAst ast) {
        if (ast.name() != null) {
            Item top = add(ast, ast.name().span(), null, false);
            top.tokens.add(ast.name().span());
        }
        for (MachineAst machine : ast.machines()) {
            Item m = entry(machine, null, !machine.props().isEmpty());
            lit(m, machine.name());
            machine.props().forEach(p -> prop(add(p, p.key().span(), m, false), p));
        }
        for (NodeAst node : ast.nodes()) {
            Item n = entry(node, null, true);
            lit(n, node.name());
            Prop kind = DslForms.nodeKind(node);
            if (kind != null) {
                prop(n, kind);
            }
            DslForms.nodeStatements(node).forEach(p -> prop(add(p, p.key().span(), n, false), p));
            for (IfaceAst iface : node.interfaces()) {
                DslForms.IfaceForm form = DslForms.iface(iface);
                Item i = entry(iface, n, !form.block().isEmpty());
                lit(i, iface.name());
                iface.props().stream().filter(p -> form.block().stream().noneMatch(b -> b == p))
                        .forEach(p -> prop(i, p));
                form.block().forEach(p -> prop(add(p, p.key().span(), i, false), p));
            }
            node.routes().forEach(r -> leaf(r, n));
            node.rules().forEach(r -> leaf(r, n));
            node.nat().forEach(r -> leaf(r, n));
            for (ChainAst chain : node.firewall()) {
                Item c = entry(chain, n, !chain.rules().isEmpty());
                lit(c, chain.name());
                chain.props().forEach(p -> prop(c, p));
                for (FwRuleAst rule : chain.rules()) {
                    leaf(rule, c);
                }
            }
            DslForms.nodeTrailingStatements(node).forEach(p -> prop(add(p, p.key().span(), n, false), p));
        }
        for (LinkAst link : ast.links()) {
            Item l = entry(link, null, !link.props().isEmpty());
            lit(l, link.a());
            lit(l, link.b());
            link.props().forEach(p -> prop(add(p, p.key().span(), l, false), p));
        }
        ast.expects().forEach(e -> leaf(e, null));
        items.removeIf(i -> !i.pos.isKnown());
        items.sort(Comparator.comparingInt((Item i) -> i.pos.line()).thenComparingInt(i -> i.pos.column()));
        for (Item i : items) {
            int last = i.tokens.stream().filter(Span::isKnown).mapToInt(Span::line).max().orElse(i.pos.line());
            for (Item a = i; a != null; a = a.parent) {
                // a node or chain: only its header (YAML: the key and the `kind:` or `policy:` line)
                boolean block = a.owner instanceof NodeAst || a.owner instanceof ChainAst;
                if (a == i || !block) {
                    a.lastLine = Math.max(a.lastLine, last);
                }
            }
        }
        items.stream().filter(i -> i.owner instanceof Entry).forEach(entries::add);
    }

    private Item add(Object owner, Span pos, Item parent, boolean block) {
        Item item = new Item(owner, pos == null ? Span.NONE : pos, parent, block);
        item.tokens.add(item.pos);
        items.add(item);
        return item;
    }

    private Item entry(Entry entry, Item parent, boolean block) {
        return add(entry, entry.span(), parent, block);
    }

    private void leaf(Entry entry, Item parent) {
        Item item = entry(entry, parent, false);
        entry.props().forEach(p -> prop(item, p));
    }

    private static void lit(Item item, Lit lit) {
        if (lit != null) {
            item.tokens.add(lit.span());
        }
    }

    private static void prop(Item item, Prop p) {
        lit(item, p.key());
        p.values().forEach(v -> lit(item, v));
    }

    // ---- placing a comment -------------------------------------------------------------------

    private void place(Comment c) {
        String text = c.text().strip();
        Span at = c.span();
        if (at == null || !at.isKnown()) {
            endOfFile.add(text);
            return;
        }
        Item owner = firstOnLine(at);
        if (owner != null && trailingLine.getOrDefault(owner.owner, at.line()) == at.line()) {
            trailingLine.put(owner.owner, at.line());
            trailing.computeIfAbsent(owner.owner, k -> new ArrayList<>()).add(text);
            return;
        }
        // a second line of the same item (a long YAML item in block style) ending in a comment: printed on
        // one line, two trailing comments would become one, so it is placed like an own-line comment
        Item before = null;
        Item after = null;
        for (Item i : items) {
            if (before(i.pos, at)) {
                before = i;
            } else if (after == null) {
                after = i;
            }
        }
        // a comment at the end of a line with no item on it (YAML `routes:  # …`, or a long item's second
        // line) belongs with what follows, never to the end of the block above it
        Item block = c.afterContent() ? null : enclosingBlockEndingBetween(before, after, at.column(), yaml);
        if (block != null) {
            end.computeIfAbsent(block.owner, k -> new ArrayList<>()).add(text);
        } else if (after != null) {
            leading.computeIfAbsent(after.owner, k -> new ArrayList<>()).add(text);
        } else {
            endOfFile.add(text);
        }
    }

    /** The item owning the leftmost token written before the comment on the comment's line. */
    private Item firstOnLine(Span at) {
        Item best = null;
        int bestColumn = Integer.MAX_VALUE;
        for (Item i : items) {
            for (Span t : i.tokens) {
                if (t.isKnown() && t.line() == at.line() && t.column() < at.column() && t.column() < bestColumn) {
                    best = i;
                    bestColumn = t.column();
                }
            }
        }
        return best;
    }

    /**
     * The innermost block that is open after {@code before} and closed before {@code after}, and whose
     * statements are indented no deeper than the comment.
     */
    private static Item enclosingBlockEndingBetween(Item before, Item after, int column, boolean yaml) {
        Item child = null;
        for (Item b = before; b != null; child = b, b = b.parent) {
            if (after != null && isAncestorOrSelf(b, after)) {
                return null;
            }
            if (!b.block) {
                continue;
            }
            int inner = child == null || yaml ? b.pos.column() + 1 : child.pos.column();
            if (column >= inner) {
                return b;
            }
        }
        return null;
    }

    private static boolean isAncestorOrSelf(Item candidate, Item of) {
        for (Item i = of; i != null; i = i.parent) {
            if (i == candidate) {
                return true;
            }
        }
        return false;
    }

    private static boolean before(Span a, Span b) {
        return a.line() < b.line() || a.line() == b.line() && a.column() < b.column();
    }
}

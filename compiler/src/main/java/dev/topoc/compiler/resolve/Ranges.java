package dev.topoc.compiler.resolve;

import dev.topoc.compiler.ast.Lit;
import dev.topoc.compiler.diag.Msg;
import dev.topoc.compiler.diag.Diagnostics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands names with ranges: {@code web[1..3]} → web1, web2, web3. Several ranges in one name expand as
 * a cartesian product, leftmost outermost. A range is bounded so that a typo cannot ask for a billion
 * nodes.
 */
final class Ranges {
    static final int MAX_EXPANSION = 1_000_000;
    /**
     * The most objects (nodes, interfaces, links, expectations) a whole topology may expand to, checked before
     * anything is expanded: {@code node h[1..1000] { iface e[1..1000000] }} is 53 bytes and would otherwise
     * allocate a billion interfaces. docs/language.md documents it.
     */
    static final long MAX_OBJECTS = 2_000_000;
    private static final Pattern RANGE = Pattern.compile("\\[(\\d+)\\.\\.(\\d+)]");

    private Ranges() {}

    static boolean hasRange(String text) {
        return text.indexOf('[') >= 0;
    }

    /**
     * How many names {@code text} expands to, without expanding it: 1 without a range, a number above
     * {@link #MAX_OBJECTS} for a huge one, and 0 for a malformed one (reported when it is expanded).
     */
    static long count(String text) {
        if (!hasRange(text)) {
            return 1;
        }
        Matcher m = RANGE.matcher(text);
        long total = 1;
        while (m.find()) {
            if (m.group(1).length() > 12 || m.group(2).length() > 12) {
                return MAX_OBJECTS + 1;
            }
            long lo = Long.parseLong(m.group(1));
            long hi = Long.parseLong(m.group(2));
            if (lo > hi) {
                return 0;
            }
            total = Math.min(MAX_OBJECTS + 1, total * Math.min(MAX_OBJECTS + 1, hi - lo + 1));
        }
        return total;
    }

    /** The expanded names, or empty (with a diagnostic) when a range is malformed or too large. */
    static Optional<List<String>> expand(Lit lit, Diagnostics diagnostics) {
        String text = lit.text();
        if (!hasRange(text)) {
            return Optional.of(List.of(text));
        }
        List<String> parts = new ArrayList<>();
        List<long[]> bounds = new ArrayList<>();
        Matcher m = RANGE.matcher(text);
        int last = 0;
        long total = 1;
        while (m.find()) {
            parts.add(text.substring(last, m.start()));
            long lo;
            long hi;
            try {
                lo = Long.parseLong(m.group(1));
                hi = Long.parseLong(m.group(2));
            } catch (NumberFormatException e) {
                diagnostics.report(Msg.RANGE_TOO_LARGE, lit.span(), m.group(), text);
                return Optional.empty();
            }
            if (lo > hi) {
                diagnostics.report(Msg.RANGE_COUNTS_DOWN, lit.span(), m.group(), text, hi, lo);
                return Optional.empty();
            }
            total *= (hi - lo + 1);
            if (total > MAX_EXPANSION) {
                diagnostics.report(Msg.EXPANDS_MORE_THAN_NAMES, lit.span(), text, MAX_EXPANSION);
                return Optional.empty();
            }
            bounds.add(new long[] {lo, hi});
            last = m.end();
        }
        String tail = text.substring(last);
        String rest = String.join("", parts) + tail;
        if (rest.indexOf('[') >= 0 || rest.indexOf(']') >= 0) {
            diagnostics.report(Msg.MALFORMED_RANGE_RANGE_WRITTEN, lit.span(), text);
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        build(parts, bounds, tail, 0, new StringBuilder(), out);
        return Optional.of(out);
    }

    private static void build(List<String> parts, List<long[]> bounds, String tail, int i, StringBuilder prefix, List<String> out) {
        if (i == bounds.size()) {
            out.add(prefix + tail);
            return;
        }
        int mark = prefix.length();
        for (long v = bounds.get(i)[0]; v <= bounds.get(i)[1]; v++) {
            prefix.append(parts.get(i)).append(v);
            build(parts, bounds, tail, i + 1, prefix, out);
            prefix.setLength(mark);
        }
    }
}

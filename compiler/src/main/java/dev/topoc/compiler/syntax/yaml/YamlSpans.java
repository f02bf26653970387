package dev.topoc.compiler.syntax.yaml;

import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.syntax.SourceFile;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Turns SnakeYAML marks (0-based line and column, counted in code points, with the same line breaks
 * as YAML: {@code \n}, {@code \r\n}, {@code \r}, NEL, LS, PS) into 1-based {@link Span}s. A span
 * covers the node on its first line: a scalar is underlined whole, a block collection to the end of
 * its first line.
 */
final class YamlSpans {
    private static final String LINE_BREAKS = "\r\n|\r|\n|\u0085|\u2028|\u2029";

    private final String file;
    private final String text;
    private int[] lineLengths;

    YamlSpans(SourceFile source) {
        this.file = source.path();
        this.text = source.text();
    }

    Span of(Node node) {
        return node == null ? start() : at(node.getStartMark(), node.getEndMark());
    }

    Span at(Mark start, Mark end) {
        if (start == null) {
            return start();
        }
        int length;
        if (end != null && end.getLine() == start.getLine() && end.getColumn() > start.getColumn()) {
            length = end.getColumn() - start.getColumn();
        } else {
            length = lineLength(start.getLine()) - start.getColumn();
        }
        return Span.of(file, start.getLine() + 1, start.getColumn() + 1, length);
    }

    /** One character at a mark (where a problem was found). */
    Span point(Mark mark) {
        return mark == null ? start() : Span.of(file, mark.getLine() + 1, mark.getColumn() + 1, 1);
    }

    /** One character at a code-point offset of the text (SnakeYAML's reader reports those). */
    Span pointAtCodePoint(int offset) {
        int line = 1;
        int column = 1;
        int i = 0;
        for (int seen = 0; i < text.length() && seen < offset; seen++) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            boolean crlf = cp == '\r' && i < text.length() && text.charAt(i) == '\n';
            if (cp == '\n' || (cp == '\r' && !crlf) || cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return Span.of(file, line, column, 1);
    }

    Span start() {
        return Span.of(file, 1, 1, 1);
    }

    private int lineLength(int zeroBasedLine) {
        if (lineLengths == null) {
            String[] lines = text.split(LINE_BREAKS, -1);
            lineLengths = new int[lines.length];
            for (int i = 0; i < lines.length; i++) {
                lineLengths[i] = lines[i].codePointCount(0, lines[i].length());
            }
        }
        return zeroBasedLine >= 0 && zeroBasedLine < lineLengths.length ? lineLengths[zeroBasedLine] : 1;
    }
}

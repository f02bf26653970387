package dev.topoc.compiler.syntax;

import dev.topoc.compiler.diag.Msg;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Span;
import java.util.Locale;

/**
 * Refuses characters that make a file read differently from what it is (Trojan source), anywhere in a file of
 * either spelling: comments, quoted values and names alike. These are control characters other than tab and
 * the line breaks {@code \n}/{@code \r}, Unicode line and paragraph separators (U+0085, U+2028, U+2029: a line
 * break to YAML but not to the DSL, so a DSL comment holding one would turn into YAML code when converted),
 * bidirectional controls and the other invisible format characters (Unicode category Cf: zero-width spaces and
 * joiners, U+FEFF past the first character, soft hyphen, tag characters).
 *
 * <p>Lines and columns are counted as the DSL front end and {@link SourceFile#line} count them: a line ends at
 * {@code \n}, {@code \r\n} or {@code \r}; columns count UTF-16 units, as ANTLR does.
 */
public final class HiddenCharacters {
    /** Beyond this many, the rest are counted in one last diagnostic. */
    static final int MAX_REPORTED = 20;

    private HiddenCharacters() {}

    /** True when {@code c} is refused in a topology file. */
    public static boolean hidden(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
            return true;
        }
        return Character.getType(c) == Character.FORMAT;
    }

    /** Reports each refused character of {@code source}; returns how many there were. */
    public static int check(SourceFile source, Diagnostics diagnostics) {
        String text = source.text();
        int line = 1;
        int col = 1;
        int found = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int width = Character.charCount(c);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                col = 1;
                i += width;
                continue;
            }
            if (hidden(c) && !(c == 0xFEFF && i == 0)) {
                found++;
                if (found <= MAX_REPORTED) {
                    diagnostics.report(Msg.ALLOWED_TOPOLOGY_FILE_INVISIBLE, Span.of(source.path(), line, col, width),
                            describe(c));
                }
            }
            col += width;
            i += width;
        }
        if (found > MAX_REPORTED) {
            diagnostics.report(Msg.MORE_INVISIBLE_LINE_BREAKING, Span.of(source.path(), line, col, 1),
                    (found - MAX_REPORTED));
        }
        return found;
    }

    /** {@code U+202E (RIGHT-TO-LEFT OVERRIDE)}. */
    public static String describe(int c) {
        String name = Character.getName(c);
        return String.format(Locale.ROOT, "U+%04X", c) + (name == null ? "" : " (" + name + ")");
    }
}

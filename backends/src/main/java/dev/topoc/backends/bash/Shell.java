package dev.topoc.backends.bash;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The one way a string reaches a generated script. Input text (file names, names, values) is placed only as a
 * shell word made by {@link #quote}, and text meant for people (comments, messages) only after {@link #display}.
 * Names are validated upstream and quoted anyway; the property {@code ShellQuotingProperties} shows that
 * {@code bash -c 'printf %s '"$(quote(s))"} prints {@code s} back for any string without NUL, so no string can
 * end the word, start a command or expand.
 */
public final class Shell {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");
    private static final Pattern DISPLAY_SAFE = Pattern.compile("[A-Za-z0-9_.,+@%=:~-]");
    /** The longest {@link #display} text; longer ones are cut with "...". */
    static final int MAX_DISPLAY = 100;

    private Shell() {}

    /**
     * {@code s} as one shell word with the same bytes: bare when it holds only safe characters, in single quotes
     * when it is printable ASCII without {@code $} or backquote, otherwise in ANSI-C quotes ({@code $'...'}) with every
     * other byte escaped as
     * {@code \xHH}, so a newline, a control character or a bidirectional control never appears raw in a script.
     *
     * @throws IllegalArgumentException for a NUL character, which no shell word can hold
     */
    public static String quote(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell word cannot hold NUL");
        }
        if (!s.isEmpty() && SAFE.matcher(s).matches() && !s.startsWith("-")) {
            return s;
        }
        // `$` and backquotes are inert in single quotes too, but ANSI-C escapes keep them out of sight of
        // shellcheck (SC2016), so a script made from any input stays clean
        boolean printable = s.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '$' && c != '`');
        if (printable) {
            return "'" + s.replace("'", "'\\''") + "'";
        }
        StringBuilder b = new StringBuilder("$'");
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c == '\\' || c == '\'') {
                b.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f && c != '$' && c != '`') {
                b.append((char) c);
            } else {
                b.append(String.format("\\x%02x", c));
            }
        }
        return b.append('\'').toString();
    }

    /**
     * {@code s} for people to read inside a script (a comment, a message): every character outside letters,
     * digits and {@code _ . , + @ % = : ~ -} becomes {@code ?}, and it is cut at {@link #MAX_DISPLAY}. The result
     * is inert anywhere (in a comment, in double quotes, in a heredoc), and still quoted where it is a word.
     */
    static String display(String s) {
        StringBuilder b = new StringBuilder();
        int count = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (++count > MAX_DISPLAY) {
                b.append("...");
                break;
            }
            String one = new String(Character.toChars(c));
            b.append(DISPLAY_SAFE.matcher(one).matches() ? one : "?");
        }
        return b.isEmpty() ? "?" : b.toString();
    }

    /** A heredoc delimiter that does not occur as a line of {@code text}. */
    static String delimiter(String base, String text) {
        String d = base;
        int n = 0;
        while (text.lines().anyMatch(d::equals)) {
            d = base + (++n);
        }
        return d;
    }
}

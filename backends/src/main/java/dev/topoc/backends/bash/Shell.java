package dev.topoc.backends.bash;

import java.util.regex.Pattern;

/** Shell quoting for values placed in generated scripts. Values are validated upstream and quoted anyway. */
final class Shell {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private Shell() {}

    /** {@code s} bare when it holds only safe characters, otherwise in single quotes. */
    static String quote(String s) {
        if (!s.isEmpty() && SAFE.matcher(s).matches() && !s.startsWith("-")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
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

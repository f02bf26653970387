package dev.topoc.compiler.diag;

import java.util.List;

/**
 * The wording of one diagnostic: the code it is reported under (which fixes its severity), a message template
 * and, where the message tells how to fix it, a fix-hint template. Placeholders are {@code {0}}, {@code {1}}, …
 * replaced by {@link String#valueOf} of the arguments (no number formatting, no quoting rules: a brace not
 * followed by digits and {@code }} is literal text). The rendered message is the text, then {@code "; "} and
 * the hint when there is one.
 *
 * <p>{@link Code} constants are templates of their own (the wording of a code reported from one place);
 * {@link Msg} holds the further wordings of codes reported from several places, and backends keep theirs in
 * their own code enums. Call sites only pick a template and pass its arguments:
 * {@code diagnostics.report(Msg.LINK_TO_ITSELF, span, ref)}.
 */
public interface Template {
    DiagnosticCode code();

    /** The message template. */
    String text();

    /** The fix-hint template, or null. */
    default String hint() {
        return null;
    }

    /** The message with {@code args} filled in. */
    default String format(Object... args) {
        String t = fill(text(), args);
        return hint() == null ? t : t + "; " + fill(hint(), args);
    }

    /** A diagnostic at {@code span} with the code's severity. */
    @SuppressWarnings("deprecation")
    default Diagnostic at(Span span, Object... args) {
        return new Diagnostic(code().severity(), code(), span, format(args), List.of());
    }

    /** Fills {@code {N}} placeholders; throws when a placeholder has no argument (a bug at the call site). */
    static String fill(String template, Object... args) {
        if (template == null) {
            throw new IllegalStateException("no message template");
        }
        StringBuilder sb = new StringBuilder(template.length() + 32);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int j = i + 1;
                while (j < template.length() && Character.isDigit(template.charAt(j))) {
                    j++;
                }
                if (j > i + 1 && j < template.length() && template.charAt(j) == '}') {
                    int n = Integer.parseInt(template.substring(i + 1, j));
                    if (n >= args.length) {
                        throw new IllegalArgumentException("template needs argument {" + n + "}: " + template);
                    }
                    sb.append(args[n]);
                    i = j + 1;
                    continue;
                }
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }

    /** The highest placeholder number used, plus one (how many arguments the template takes). */
    static int arity(String template) {
        int max = -1;
        if (template == null) {
            return 0;
        }
        var m = java.util.regex.Pattern.compile("\\{(\\d+)}").matcher(template);
        while (m.find()) {
            max = Math.max(max, Integer.parseInt(m.group(1)));
        }
        return max + 1;
    }

    /** How many arguments this template takes. */
    default int arity() {
        return Math.max(arity(text()), arity(hint()));
    }
}

package dev.topoc.compiler.model;

import java.util.Locale;
import java.util.Optional;

/** Firewall verdicts and chain policies. */
public enum Action {
    ACCEPT,
    DROP,
    REJECT;

    /** The word used in both spellings. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Action> of(String word) {
        for (Action v : values()) {
            if (v.word().equals(word)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public static String choices() {
        return java.util.Arrays.stream(values()).map(Action::word).collect(java.util.stream.Collectors.joining(" | "));
    }
}

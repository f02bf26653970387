package dev.topoc.compiler.model;

import java.util.Locale;
import java.util.Optional;

/** Connection tracking states a firewall rule can match. */
public enum CtState {
    NEW,
    ESTABLISHED,
    RELATED,
    INVALID;

    /** The word used in both spellings. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CtState> of(String word) {
        for (CtState v : values()) {
            if (v.word().equals(word)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public static String choices() {
        return java.util.Arrays.stream(values()).map(CtState::word).collect(java.util.stream.Collectors.joining(" | "));
    }
}

package dev.topoc.compiler.model;

import java.util.Locale;
import java.util.Optional;

/** The filter chains. */
public enum ChainName {
    INPUT,
    FORWARD,
    OUTPUT;

    /** The word used in both spellings. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ChainName> of(String word) {
        for (ChainName v : values()) {
            if (v.word().equals(word)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public static String choices() {
        return java.util.Arrays.stream(values()).map(ChainName::word).collect(java.util.stream.Collectors.joining(" | "));
    }
}

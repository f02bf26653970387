package dev.topoc.compiler.model;

import java.util.Locale;
import java.util.Optional;

/** ipvlan modes. */
public enum IpvlanMode {
    L2,
    L3,
    L3S;

    /** The word used in both spellings. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<IpvlanMode> of(String word) {
        for (IpvlanMode v : values()) {
            if (v.word().equals(word)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public static String choices() {
        return java.util.Arrays.stream(values()).map(IpvlanMode::word).collect(java.util.stream.Collectors.joining(" | "));
    }
}

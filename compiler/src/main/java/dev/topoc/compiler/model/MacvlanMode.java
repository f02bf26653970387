package dev.topoc.compiler.model;

import java.util.Locale;
import java.util.Optional;

/** macvlan modes, as in {@code ip link add ... type macvlan mode M}. */
public enum MacvlanMode {
    BRIDGE,
    VEPA,
    PRIVATE,
    PASSTHRU;

    /** The word used in both spellings. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MacvlanMode> of(String word) {
        for (MacvlanMode v : values()) {
            if (v.word().equals(word)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public static String choices() {
        return java.util.Arrays.stream(values()).map(MacvlanMode::word).collect(java.util.stream.Collectors.joining(" | "));
    }
}

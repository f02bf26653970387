package dev.topoc.compiler.model;

import java.util.Locale;
import java.util.Optional;

/** ipvlan flags. */
public enum IpvlanFlag {
    BRIDGE,
    PRIVATE,
    VEPA;

    /** The word used in both spellings. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<IpvlanFlag> of(String word) {
        for (IpvlanFlag v : values()) {
            if (v.word().equals(word)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public static String choices() {
        return java.util.Arrays.stream(values()).map(IpvlanFlag::word).collect(java.util.stream.Collectors.joining(" | "));
    }
}

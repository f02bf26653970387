package dev.topoc.compiler.model;

import java.util.Locale;
import java.util.Optional;

/** NAT entry types. */
public enum NatType {
    MASQUERADE,
    SNAT,
    DNAT;

    /** The word used in both spellings. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<NatType> of(String word) {
        for (NatType v : values()) {
            if (v.word().equals(word)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public static String choices() {
        return java.util.Arrays.stream(values()).map(NatType::word).collect(java.util.stream.Collectors.joining(" | "));
    }
}

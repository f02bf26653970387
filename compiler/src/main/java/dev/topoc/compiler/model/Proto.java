package dev.topoc.compiler.model;

import java.util.Locale;
import java.util.Optional;

/** Transport protocols of NAT, firewall and expectations. */
public enum Proto {
    ICMP,
    TCP,
    UDP;

    /** The word used in both spellings. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Proto> of(String word) {
        for (Proto v : values()) {
            if (v.word().equals(word)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public static String choices() {
        return java.util.Arrays.stream(values()).map(Proto::word).collect(java.util.stream.Collectors.joining(" | "));
    }
}

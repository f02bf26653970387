package dev.topoc.compiler.model;

import java.util.List;

/**
 * One key an interface accepts, as {@link IfKind} describes it: its YAML name, how its value is written,
 * what it takes (for the key reference), its closed word set when it has one, and its default.
 *
 * @param name the YAML key (the DSL word is the same)
 * @param value how the value is written
 * @param type what the value takes, for people ("integer 1–4094", "`IF` or `NODE:IF`")
 * @param words the closed set of words it takes, empty when the value is open
 * @param defaultValue the value when the key is absent, as written in a file; null when there is none
 * @param required whether an interface of the kind must have the key
 */
public record IfKey(String name, Value value, String type, List<String> words, String defaultValue, boolean required) {
    /** How the value is written (the key table's shapes, for interface keys). */
    public enum Value {
        SCALAR, FLAG, LIST
    }

    public IfKey {
        words = List.copyOf(words);
    }

    static IfKey scalar(String name, String type, String defaultValue) {
        return new IfKey(name, Value.SCALAR, type, List.of(), defaultValue, false);
    }

    static IfKey required(String name, String type) {
        return new IfKey(name, Value.SCALAR, type, List.of(), null, true);
    }

    static IfKey flag(String name, String meaning, String defaultValue) {
        return new IfKey(name, Value.FLAG, "`true` or `false`: " + meaning, List.of(), defaultValue, false);
    }

    static IfKey word(String name, List<String> words, String defaultValue) {
        return new IfKey(name, Value.SCALAR, "one of " + String.join(", ", words), words, defaultValue, false);
    }
}

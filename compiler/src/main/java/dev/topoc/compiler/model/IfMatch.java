package dev.topoc.compiler.model;

/** An interface match in NAT ({@code out docker0}, {@code out !docker0}). */
public record IfMatch(String name, boolean negated) {
    @Override
    public String toString() {
        return (negated ? "!" : "") + name;
    }
}

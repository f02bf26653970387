package dev.topoc.compiler.model;

/** A reference to an interface of a node, written {@code node:if}. */
public record IfRef(String node, String iface) {
    @Override
    public String toString() {
        return node + ":" + iface;
    }
}

package dev.topoc.backends.graph;

/**
 * How to draw: {@code collapse} folds groups of at least {@link GraphBuilder#COLLAPSE_MIN} identical nodes
 * (and the ports facing them) into one labelled group; {@code highlight} (nullable) is a path to draw.
 */
public record GraphOptions(boolean collapse, TracePath highlight) {
    public static final GraphOptions DEFAULT = new GraphOptions(false, null);
}

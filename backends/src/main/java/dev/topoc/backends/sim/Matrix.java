package dev.topoc.backends.sim;

import java.util.List;

/**
 * The answer of a {@link MatrixQuestion}: {@code reach[i][j]} is whether {@code nodes[i]} pinging
 * {@code addresses[j]} (node j's first address, {@code -} when it has none) reaches.
 */
public record Matrix(List<String> nodes, List<String> addresses, boolean[][] reach) {
    public int pairs() {
        return nodes.size() * (nodes.size() - 1);
    }

    public long reachable() {
        long n = 0;
        for (int i = 0; i < reach.length; i++) {
            for (int j = 0; j < reach.length; j++) {
                n += i != j && reach[i][j] ? 1 : 0;
            }
        }
        return n;
    }
}

package dev.topoc.live.read;

import dev.topoc.compiler.model.Topology;
import java.util.List;

/**
 * What the reader found: the part the language can express as the compiler's own model records
 * ({@code topology}), and every object it cannot ({@code unexpressed}).
 */
public record LiveState(Topology topology, List<Unexpressed> unexpressed) {
    public LiveState {
        unexpressed = List.copyOf(unexpressed);
    }
}

package dev.topoc.backends.sim;

/**
 * A question the simulator answers over a {@link DataPlane}, with a typed answer: {@link PingQuestion}
 * (a {@link Trace}), {@link MatrixQuestion} (a {@link Matrix}), {@link CheckQuestion} (a {@link CheckReport}),
 * {@link ResilienceQuestion} (the expectations under each single failure). What-if failures ({@code --fail})
 * are the same questions over a data plane built with them, {@link DataPlane#of(dev.topoc.compiler.model.Topology,
 * Failures)}; a new question is a new implementation, and the data plane does not change.
 */
@FunctionalInterface
public interface Question<A> {
    A answer(DataPlane plane);
}

package dev.topoc.backends.sim;

/**
 * A question the simulator answers over a {@link DataPlane}, with a typed answer: {@link PingQuestion}
 * (a {@link Trace}), {@link MatrixQuestion} (a {@link Matrix}), {@link CheckQuestion} (a {@link CheckReport}).
 * Questions to come (what-if failures, {@code --fail}: the same question over a data plane built from a
 * topology with links or devices taken down) are new implementations; the data plane does not change.
 */
@FunctionalInterface
public interface Question<A> {
    A answer(DataPlane plane);
}

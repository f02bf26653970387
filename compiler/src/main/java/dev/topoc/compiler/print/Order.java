package dev.topoc.compiler.print;

import dev.topoc.compiler.ast.Keys;
import dev.topoc.compiler.ast.Prop;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Props sorted by the canonical key order of {@link Keys}; repeated and unknown keys keep their written order. */
final class Order {
    private Order() {}

    static List<Prop> canonical(Keys.Context context, List<Prop> props) {
        List<Prop> sorted = new ArrayList<>(props);
        sorted.sort(Comparator.comparingInt(p -> Keys.order(context, p.name())));
        return sorted;
    }
}

package dev.topoc.compiler.syntax.dsl;

import dev.topoc.compiler.ast.Keys;
import dev.topoc.compiler.ast.Prop;
import dev.topoc.compiler.diag.Msg;
import dev.topoc.compiler.diag.Diagnostics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A DSL block that gives a single-valued key twice ({@code mtu 1500  mtu 9000}, {@code forwarding forwarding
 * false}, the same sysctl key twice) is reported with E0006, as YAML reports a key given twice in a map, and the
 * later one is dropped as YAML drops it. Keys whose value is a list ({@code address}, {@code via}, {@code state})
 * may be repeated: their values add up.
 */
final class RepeatedKeys {
    private RepeatedKeys() {}

    static List<Prop> check(List<Prop> props, Keys.Context context, Diagnostics diagnostics) {
        Map<String, Prop> first = new HashMap<>();
        List<Prop> kept = new ArrayList<>(props.size());
        for (Prop p : props) {
            Keys.Shape shape = Keys.shape(context, p.name()).orElse(Keys.Shape.SCALAR);
            if (shape == Keys.Shape.LIST || shape == Keys.Shape.NESTED) {
                kept.add(p);
                continue;
            }
            boolean pairs = shape == Keys.Shape.PAIRS;
            String id = pairs && !p.values().isEmpty() ? p.name() + " " + p.values().get(0).text() : p.name();
            Prop earlier = first.putIfAbsent(id, p);
            if (earlier == null) {
                kept.add(p);
                continue;
            }
            String shown = pairs && !p.values().isEmpty() ? p.name() + " " + p.values().get(0).text() : p.name();
            var where = pairs && !p.values().isEmpty() ? p.values().get(0).span() : p.key().span();
            var firstWhere = pairs && !earlier.values().isEmpty() ? earlier.values().get(0).span() : earlier.key().span();
            diagnostics.add(Msg.GIVEN_TWICE_BLOCK_FIRST.at(where, shown,
                    firstWhere.line()).withNote(firstWhere, "`" + shown + "` first given here"));
        }
        return kept;
    }
}

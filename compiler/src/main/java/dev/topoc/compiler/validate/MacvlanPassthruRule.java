package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.MacvlanMode;
import dev.topoc.compiler.model.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code passthru} macvlan takes its parent over: the kernel allows no second macvlan on that parent,
 * passthru or any other mode. Every macvlan after the first on such a parent is reported.
 */
final class MacvlanPassthruRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        Map<IfRef, List<Interface.Macvlan>> byParent = new LinkedHashMap<>();
        for (Node n : facts.topology.nodes()) {
            for (Interface.Macvlan m : n.interfaces(Interface.Macvlan.class)) {
                byParent.computeIfAbsent(m.parent(), k -> new ArrayList<>()).add(m);
            }
        }
        byParent.forEach((parent, group) -> {
            Interface.Macvlan passthru = group.stream().filter(m -> m.mode() == MacvlanMode.PASSTHRU).findFirst().orElse(null);
            if (passthru == null || group.size() < 2) {
                return;
            }
            Interface.Macvlan first = group.get(0);
            for (Interface.Macvlan m : group.subList(1, group.size())) {
                String why = m.mode() == MacvlanMode.PASSTHRU && first.mode() == MacvlanMode.PASSTHRU
                        ? "a second passthru macvlan" : "a " + m.mode().word() + " macvlan next to a "
                                + (m == passthru ? first.mode().word() : "passthru") + " one";
                diagnostics.add(Code.MACVLAN_PASSTHRU_SHARED.at(m.span(), m.ref(), why,
                        parent).withNotes(List.of(new Diagnostic.Note(first.span(), "`" + first.ref() + "` (" + first.mode().word()
                                + ") is the first macvlan on `" + parent + "`"))));
            }
        });
    }
}

package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.Rule;
import java.util.HashSet;
import java.util.Set;

/**
 * A policy rule that looks up a table without routes decides nothing: the lookup fails and the packet
 * falls through to the next rule, usually a typo in the table number. {@code main} and {@code local} are
 * never empty (connected routes live there).
 */
final class RuleTableRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        for (Node n : facts.topology.nodes()) {
            if (n.rules().isEmpty()) {
                continue;
            }
            Set<String> tables = new HashSet<>();
            n.routes().stream().map(Route::table).forEach(tables::add);
            for (Rule r : n.rules()) {
                if (r.table().equals("main") || r.table().equals("local") || tables.contains(r.table())) {
                    continue;
                }
                diagnostics.report(Code.RULE_TABLE_EMPTY, r.span(), r.table(), n.name());
            }
        }
    }
}

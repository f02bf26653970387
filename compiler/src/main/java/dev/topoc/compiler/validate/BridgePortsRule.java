package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Linux bridge numbers its ports 1 to 1023 (BR_MAX_PORTS is 1 << 10 in net/bridge/br_private.h, and
 * port number 0 is reserved in br_if.c's find_portno()); enslaving a 1,024th port fails with "Exchange
 * full" (EXFULL). Found here rather than after {@code apply.sh} has built a thousand namespaces and rolls
 * back. BridgePortsLimitTest in backends/ measures the limit on the running kernel.
 */
final class BridgePortsRule implements Validator.Rule {
    /** The most ports one Linux bridge takes. */
    static final int MAX_PORTS = 1023;

    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        for (Node n : facts.topology.nodes()) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            Map<String, Interface> first = new LinkedHashMap<>();
            Map<String, Interface> overflow = new LinkedHashMap<>();
            for (Interface i : n.interfaces()) {
                if (i.common().master() == null) {
                    continue;
                }
                int count = ports.merge(i.common().master(), 1, Integer::sum);
                first.putIfAbsent(i.common().master(), i);
                if (count == MAX_PORTS + 1) {
                    overflow.put(i.common().master(), i);
                }
            }
            overflow.forEach((bridge, port) -> diagnostics.add(Code.BRIDGE_TOO_MANY_PORTS.at(port.span(), n.name(),
                    bridge, ports.get(bridge), MAX_PORTS,
                    (MAX_PORTS + 1)).withNotes(List.of(new Diagnostic.Note(first.get(bridge).span(), "the first port of `" + bridge + "`")))));
        }
    }
}

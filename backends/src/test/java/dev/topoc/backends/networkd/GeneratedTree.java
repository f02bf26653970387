package dev.topoc.backends.networkd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.Artifacts;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks on a generated tree that read the files themselves (not the view model). */
final class GeneratedTree {
    private GeneratedTree() {}

    /** Each interface of each generated node is the {@code [Match] Name=} of exactly one .network of its node. */
    static void assertEveryInterfaceInExactlyOneNetwork(Topology model, Artifacts a, boolean sandbox) {
        Map<String, List<String>> matched = new HashMap<>();
        a.files().forEach((path, file) -> {
            if (path.endsWith(".network")) {
                String node = path.substring(0, path.indexOf('/'));
                List<String> names = file.content().lines().filter(l -> l.startsWith("Name=")).toList();
                assertEquals(1, names.size(), path + " matches one name");
                matched.computeIfAbsent(node, k -> new ArrayList<>()).add(names.get(0).substring(5));
            }
        });
        int expectedNodes = 0;
        for (Node n : model.nodes()) {
            if (n.kind() == NodeKind.EXTERNAL && !sandbox) {
                assertTrue(!matched.containsKey(n.name()), "no folder for external node " + n.name() + " without --sandbox");
                continue;
            }
            expectedNodes++;
            List<String> names = matched.getOrDefault(n.name(), List.of());
            for (Interface i : n.interfaces()) {
                assertEquals(1, names.stream().filter(i.name()::equals).count(), n.name() + ":" + i.name() + " in " + names);
            }
            assertEquals(n.interfaces().size(), names.size(), n.name() + ": one .network per interface " + names);
        }
        assertEquals(expectedNodes, matched.size(), "node folders " + matched.keySet());
    }
}

package dev.topoc.compiler.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.TestSupport;
import dev.topoc.compiler.TopologyGen;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated valid topologies (see {@link TopologyGen}; RoundTripProperties checks they compile without
 * any diagnostic), each mutated in one way: the mutation must produce exactly the expected code, at the
 * mutated place, and nothing else new. Mutations append to the topology so the place is known: a copy of
 * an existing address, a reference to a missing node, a too-long name, a VLAN id out of range, a link
 * that closes a bridge loop, routes that close a routing loop, a gateway that does not forward.
 */
class MutationProperties {
    @Provide
    Arbitrary<Random> seeds() {
        return Arbitraries.randoms();
    }

    private static Compilation compile(String text) {
        return Compiler.compile(new SourceFile("gen.topo", text));
    }

    /** The base text, ending with a line break, and the line number the appended text starts on. */
    private record Base(String text, int nextLine, Compilation compiled) {
        static Base of(Random r) {
            String t = TopologyGen.generate(r);
            if (!t.endsWith("\n")) {
                t += "\n";
            }
            Compilation c = compile(t);
            assertTrue(c.ok() && c.diagnostics().isEmpty(), () -> TestSupport.describe(c));
            return new Base(t, (int) t.lines().count() + 1, c);
        }
    }

    private static void assertOnly(Compilation c, Code code, int line, int column, String text) {
        Set<dev.topoc.compiler.diag.DiagnosticCode> codes = c.diagnostics().all().stream().map(Diagnostic::code).collect(Collectors.toSet());
        assertEquals(Set.<dev.topoc.compiler.diag.DiagnosticCode>of(code), codes, () -> TestSupport.describe(c) + "\n--- input ---\n" + text);
        assertTrue(c.diagnostics().all().stream().anyMatch(d -> d.span().line() == line && d.span().column() == column),
                () -> code + " expected at " + line + ":" + column + "\n" + TestSupport.describe(c) + "\n--- input ---\n" + text);
    }

    @Property(tries = 150)
    void aCopiedAddressIsReportedWhereItIsCopied(@ForAll("seeds") Random r) {
        Base base = Base.of(r);
        List<Cidr> addresses = base.compiled().model().nodes().stream().flatMap(n -> n.interfaces().stream())
                .flatMap(i -> i.addresses().stream()).toList();
        if (addresses.isEmpty()) {
            return;
        }
        Cidr copy = addresses.get(r.nextInt(addresses.size()));
        // a /32 on a dummy of a new node: no subnet of its own, so only the duplicate itself is reported (a warning:
        // the dummy is an L2 domain of its own)
        String text = base.text() + "node zz-copy {\n  iface dup0 dummy { address " + copy.address().toCanonicalString()
                + "/32 }\n}\n";
        Compilation c = compile(text);
        assertOnly(c, Code.ADDRESS_IN_TWO_DOMAINS, base.nextLine() + 1, 9, text);
    }

    @Property(tries = 100)
    void aLinkToAMissingNodeIsAnUnknownReference(@ForAll("seeds") Random r) {
        Base base = Base.of(r);
        Node n = base.compiled().model().nodes().get(r.nextInt(base.compiled().model().nodes().size()));
        String text = base.text() + "link " + n.name() + ":zz0 -- nosuch:eth0\n";
        assertOnly(compile(text), Code.UNKNOWN_REFERENCE, base.nextLine(), 6 + n.name().length() + 4 + 4, text);
    }

    @Property(tries = 100)
    void aNameLengthenedPastTheLimitIsTooLong(@ForAll("seeds") Random r) {
        Base base = Base.of(r);
        Node n = base.compiled().model().nodes().get(r.nextInt(base.compiled().model().nodes().size()));
        String longName = n.name() + "x".repeat(33 - n.name().length());
        String text = base.text() + "node " + longName + " { }\n";
        assertOnly(compile(text), Code.NAME_TOO_LONG, base.nextLine(), 6, text);
    }

    @Property(tries = 100)
    void aVlanIdOutOfRange(@ForAll("seeds") Random r) {
        Base base = Base.of(r);
        int id = r.nextBoolean() ? 4095 + r.nextInt(1000) : 0;
        String text = base.text() + "node zz-vlan {\n  iface e0 dummy { }\n  vlan v1 parent e0 id " + id + "\n}\n";
        assertOnly(compile(text), Code.OUT_OF_RANGE, base.nextLine() + 2, 24, text);
    }

    @Property(tries = 100)
    void aLinkThatClosesABridgeLoop(@ForAll("seeds") Random r) {
        Base base = Base.of(r);
        int bridges = 2 + r.nextInt(3);
        StringBuilder sb = new StringBuilder(base.text());
        for (int k = 0; k < bridges; k++) {
            sb.append("node zsw").append(k).append(" {\n  bridge br0\n  iface up { master br0 }\n  iface down { master br0 }\n}\n");
        }
        for (int k = 0; k + 1 < bridges; k++) {
            sb.append("link zsw").append(k).append(":down -- zsw").append(k + 1).append(":up\n");
        }
        String open = sb.toString();
        Compilation chain = compile(open);
        assertTrue(chain.ok() && chain.diagnostics().isEmpty(), () -> "a chain of bridges is no loop:\n" + TestSupport.describe(chain));
        String closed = open + "link zsw" + (bridges - 1) + ":down -- zsw0:up\n";
        int line = (int) open.lines().count() + 1;
        Compilation c = compile(closed);
        assertOnly(c, Code.L2_LOOP, line, 1, closed);
        Diagnostic d = c.diagnostics().all().get(0);
        assertEquals(bridges - 1, d.notes().size(), "every other link of the cycle is a note");
        String withStp = closed.replaceFirst("node zsw0 \\{\n  bridge br0\n", "node zsw0 {\n  bridge br0 { stp }\n");
        Compilation stp = compile(withStp);
        assertTrue(stp.diagnostics().isEmpty(), () -> "STP on a bridge of the loop breaks it:\n" + TestSupport.describe(stp));
    }

    @Property(tries = 100)
    void routesThatCloseARoutingLoop(@ForAll("seeds") Random r) {
        Base base = Base.of(r);
        int hops = 2 + r.nextInt(3);
        // a ring of routers zr0 .. zrN, each pointing the same prefix at the next
        StringBuilder sb = new StringBuilder(base.text());
        int routeLine = -1;
        int line = base.nextLine();
        for (int k = 0; k < hops; k++) {
            int next = (k + 1) % hops;
            int prev = (k + hops - 1) % hops;
            sb.append("node zr").append(k).append(" {\n  forwarding\n");
            sb.append("  iface n").append(next).append(" { address 100.64.").append(k * 8 + next).append(".1/30 }\n");
            sb.append("  iface p").append(prev).append(" { address 100.64.").append(prev * 8 + k).append(".2/30 }\n");
            sb.append("  route 198.19.0.0/24 via 100.64.").append(k * 8 + next).append(".2\n}\n");
            if (k == 0) {
                routeLine = line + 4;
            }
            line += 6;
        }
        for (int k = 0; k < hops; k++) {
            int next = (k + 1) % hops;
            sb.append("link zr").append(k).append(":n").append(next).append(" -- zr").append(next).append(":p").append(k).append('\n');
        }
        String text = sb.toString();
        Compilation c = compile(text);
        assertOnly(c, Code.ROUTING_LOOP, routeLine, 3, text);
        assertEquals(1, c.diagnostics().all().size(), "one loop, reported once");
        assertEquals(hops - 1, c.diagnostics().all().get(0).notes().size());
        // a blackhole on one router ends the loop there
        String broken = text.replaceFirst("  route 198.19.0.0/24 via 100.64.1.2\n", "  route blackhole 198.19.0.0/24\n");
        assertTrue(compile(broken).diagnostics().isEmpty(), () -> TestSupport.describe(compile(broken)));
    }

    @Property(tries = 100)
    void aGatewayWithoutForwarding(@ForAll("seeds") Random r) {
        Base base = Base.of(r);
        String text = base.text() + """
                node zgw {
                  FWD
                  iface a0 { address 100.65.0.1/24 }
                  iface a1 { address 100.65.1.1/24 }
                }
                node zh {
                  iface e0 { address 100.65.0.2/24 }
                  route 100.65.1.0/24 via 100.65.0.1
                }
                link zh:e0 -- zgw:a0
                """;
        assertTrue(compile(text.replace("FWD", "forwarding")).diagnostics().isEmpty());
        String without = text.replace("  FWD\n", "");
        assertOnly(compile(without), Code.GATEWAY_WITHOUT_FORWARDING, base.nextLine(), 6, without);
    }

    /** Validation never throws, whatever the resolver lets through: lines of valid topologies dropped or doubled. */
    @Property(tries = 200)
    void validationNeverThrowsOnMutatedTopologies(@ForAll("seeds") Random r) {
        List<String> lines = new java.util.ArrayList<>(TopologyGen.generate(r).lines().toList());
        for (int k = 0; k < 1 + r.nextInt(3) && !lines.isEmpty(); k++) {
            int at = r.nextInt(lines.size());
            if (r.nextBoolean()) {
                lines.remove(at);
            } else {
                lines.add(at, lines.get(at));
            }
        }
        Compilation c = compile(String.join("\n", lines) + "\n");
        c.diagnostics().all().forEach(d -> assertTrue(d.span().isKnown(), () -> "no place: " + d));
        if (c.model() != null && c.ok()) {
            Validator.validate(c.model(), new dev.topoc.compiler.diag.Diagnostics());
        }
        for (Node n : c.model() == null ? List.<Node>of() : c.model().nodes()) {
            for (Interface i : n.interfaces()) {
                assertTrue(i.span() != null);
            }
        }
    }
}

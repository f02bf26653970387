package dev.topoc.compiler.validate;

import static dev.topoc.compiler.TestSupport.describe;
import static dev.topoc.compiler.TestSupport.dsl;
import static dev.topoc.compiler.TestSupport.withCode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.diag.Code;
import org.junit.jupiter.api.Test;

class RoutingLoopRuleTest {
    private static final String RING = """
            node r1 { %s  iface f { address 10.1.0.1/24 }  route 10.9.0.0/16 via 10.1.0.2 }
            node r2 { %s  iface f { address 10.1.0.2/24 }  route 10.9.0.0/16 via 10.1.0.1 }
            link r1:f -- r2:f
            """;

    @Test
    void aRingOfForwardingRoutersIsALoop() {
        Compilation c = dsl(RING.formatted("forwarding", "forwarding"));
        assertEquals(1, withCode(c, Code.ROUTING_LOOP).size(), describe(c));
    }

    @Test
    void noLoopThroughANodeThatDoesNotForward() {
        // r2 drops what it would have to forward, so packets never come back to r1
        Compilation c = dsl(RING.formatted("forwarding", ""));
        assertEquals(0, withCode(c, Code.ROUTING_LOOP).size(), describe(c));
    }
}

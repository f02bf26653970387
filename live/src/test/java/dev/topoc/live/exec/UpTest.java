package dev.topoc.live.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.lab.Lab;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UpTest {
    static final String STAR = """
            topology star

            node sw {
              bridge br0 { address 10.9.0.1/24 }
              iface p1 { master br0 }
              iface p2 { master br0 }
            }
            node h1 {
              iface eth0 { address 10.9.0.11/24 }
              route default via 10.9.0.1
            }
            node h2 {
              iface eth0 { address 10.9.0.12/24 }
              route default via 10.9.0.1
            }
            link h1:eth0 -- sw:p1
            link h2:eth0 -- sw:p2
            """;

    @BeforeAll
    static void machine() {
        Lab.assumeMachine();
    }

    @Test
    void upFromNothingThenPlanIsEmpty() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("star.topo", STAR);
            Engine.Outcome o = f.up(file);
            assertEquals(0, o.exit(), o.message() + "\n" + f.out + f.progress);
            assertEquals(List.of(), f.planLines(file));
            assertEquals(0, f.in("h1", "ping", "-c1", "-W2", "10.9.0.12").code());
        }
    }
}

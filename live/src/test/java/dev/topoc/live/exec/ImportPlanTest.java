package dev.topoc.live.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.print.DslPrinter;
import dev.topoc.compiler.syntax.SourceFile;
import dev.topoc.live.diff.Change;
import dev.topoc.live.lab.LabId;
import dev.topoc.live.read.AstWriter;
import dev.topoc.live.read.LiveReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code import} then {@code plan} is empty, also where the record cannot vouch for the rules: a lab whose record is
 * gone (the table's text is compared by what it means, read as JSON), and a firewall chain that accepts everything
 * ({@code forward policy accept} alone: the same as no firewall, so no table is loaded for it or removed).
 */
class ImportPlanTest {
    private static final String FILE = """
            topology imp
            node r {
              forwarding
              iface up0 { address 10.9.1.1/24 }
              iface dn0 { address 10.9.2.1/24 }
              nat masquerade out up0
              firewall forward policy drop {
                accept in dn0 out up0
                accept state established,related
              }
            }
            node a {
              iface eth0 { address 10.9.2.2/24 }
              route default via 10.9.2.1
              firewall forward policy accept
            }
            node b { iface eth0 { address 10.9.1.2/24 } }
            link a:eth0 -- r:dn0
            link b:eth0 -- r:up0
            """;

    @Test
    void anImportedLabPlansNothingWithOrWithoutItsRecord() throws Exception {
        Lab.assumeMachine();
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("imp.topo", FILE);
            Engine.Outcome up = f.up(file);
            assertEquals(Engine.OK, up.exit(), up.message() + "\n" + f.out);
            assertEquals(List.of(), f.planLines(file));
            assertTrue(f.in("a", "nft", "list", "tables").out().isBlank(), "a chain accepting everything loads no table");

            // the record is gone: nothing vouches for r's table but what it means
            f.store.delete(new LabId(f.prefix, "imp"));
            assertEquals(List.of(), f.planLines(file), "the file's own rules, without a record");

            // import the namespaces, plan the imported file (the names are the same: nodes by namespace)
            Map<String, String> nodes = new LinkedHashMap<>();
            for (String n : List.of("a", "b", "r")) {
                nodes.put(n, f.ns(n));
            }
            String dsl = DslPrinter.print(AstWriter.write(LiveReader.read("imp", nodes, true).topology(), Syntax.DSL));
            Compilation imported = Compiler.compile(new SourceFile("imported.topo", dsl));
            assertTrue(imported.ok(), () -> dsl + imported.diagnostics().all());
            Path again = f.write("imported.topo", dsl);
            List<String> plan = f.engine.plan(imported.model(), again, dsl, f.options()).changes().stream()
                    .map(Change::line).toList();
            assertEquals(List.of(), plan, dsl);

            // a rule added by hand to r's table: the table no longer means the file's rules, whatever the record
            assertEquals(0, f.in("r", "nft", "add", "rule", "inet", "topoc", "forward", "drop").code());
            List<String> drift = f.planLines(file);
            assertEquals(1, drift.size(), drift::toString);
            assertTrue(drift.get(0).startsWith("~ nftables table inet topoc on r"), drift::toString);
        }
    }
}

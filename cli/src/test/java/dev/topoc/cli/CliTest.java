package dev.topoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process: output, diagnostics layout and exit codes (LANGUAGE.md §4). */
class CliTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static final String GOOD = """
            topology two
            node a { iface eth0 { address 10.0.0.1/24 } }
            node b { iface eth0 { address 10.0.0.2/24 } }
            link a:eth0 -- b:eth0
            expect a -> b reach
            """;

    @Test
    void validateAcceptsAValidFile() throws IOException {
        Path f = write("two.topo", GOOD);
        Run r = run("validate", f.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains(f + ": ok (2 nodes, 2 interfaces besides lo, 1 link, 1 expectation)"), r.out());
    }

    @Test
    void theValidateSummaryCountsInSingularAndPluralAndLeavesLoOut() throws IOException {
        Path f = write("three.topo", GOOD.replace("expect a -> b reach", "expect a -> b reach\nexpect b -> a reach")
                .replace("node b { iface eth0 { address 10.0.0.2/24 } }",
                        "node b {\n  iface eth0 { address 10.0.0.2/24 }\n  lo { address 192.0.2.1/32 }\n}"));
        Run r = run("validate", f.toString());
        assertEquals(f + ": ok (2 nodes, 2 interfaces besides lo, 1 link, 2 expectations)\n", r.out());
    }

    /** Issue 17, item 10: results on standard output, diagnostics (warnings too) on standard error. */
    @Test
    void diagnosticsGoToStandardErrorAndWarningsAreNeverDropped() throws IOException {
        Path warn = write("warn.topo", """
                node a {
                  bridge br0 { address 10.0.0.1/24 }
                  iface p1 { master br0  address 10.0.0.9/24 }
                }
                node b { iface eth0 { address 10.0.0.2/24 } }
                link b:eth0 -- a:p1
                expect b -> 10.0.0.1 reach
                """);
        for (String[] args : new String[][] {{"convert", warn.toString(), "--to", "yaml"}, {"graph", warn.toString()},
                {"check", warn.toString()}, {"simulate", warn.toString(), "--ping", "b", "a"},
                {"compile", warn.toString(), "--target", "bash", "-o", dir.resolve("out").toString()}}) {
            Run r = run(args);
            assertEquals(0, r.exit(), args[0] + ": " + r.err());
            assertTrue(r.err().contains("warning[W0500]"), args[0] + " keeps the warning on stderr: " + r.err());
            assertFalse(r.out().contains("W0500"), args[0] + " keeps stdout for its result: " + r.out());
        }
        Path bad = write("bad.topo", "node a { iface eth0 { mtu big } }\n");
        for (String cmd : new String[] {"check", "simulate", "graph", "convert", "compile"}) {
            Run r = cmd.equals("convert") ? run(cmd, bad.toString(), "--to", "yaml")
                    : cmd.equals("compile") ? run(cmd, bad.toString(), "--target", "bash", "-o", dir.resolve("no").toString())
                    : run(cmd, bad.toString());
            assertEquals(1, r.exit(), cmd);
            assertTrue(r.err().contains("error[E0004]"), cmd + " refuses on stderr: " + r.err());
            assertEquals("", r.out(), cmd + " prints no result");
        }
        Run v = run("validate", bad.toString());
        assertTrue(v.out().contains("error[E0004]") && v.err().isEmpty(), "validate's diagnostics are its result");
    }

    /** Issue 17, item 11. */
    @Test
    void checkTakesSeveralFilesAndSaysWhichFails() throws IOException {
        Path good = write("good.topo", GOOD);
        Path failing = write("fails.topo", GOOD.replace("expect a -> b reach", "expect a -> b noreach"));
        Path bad = write("bad.topo", "node a { iface eth0 { mtu big } }\n");
        Run both = run("check", good.toString(), failing.toString(), "--junit", dir.resolve("r.xml").toString());
        assertEquals(3, both.exit(), both.out() + both.err());
        assertTrue(both.out().contains(good + ": 1 expectation: 1 hold, 0 fail\n"), both.out());
        assertTrue(both.out().contains(failing + ": 1 expectation: 0 hold, 1 fail\n"), both.out());
        assertTrue(both.out().endsWith("2 files, 2 expectations: 1 hold, 1 fail\n"), both.out());
        String xml = Files.readString(dir.resolve("r.xml"));
        assertTrue(xml.contains("<testsuites>") && xml.split("<testsuite ", -1).length == 3, xml);
        Run withBad = run("check", good.toString(), bad.toString());
        assertEquals(1, withBad.exit(), "an invalid file wins over passing ones");
        assertTrue(withBad.out().contains(good + ": 1 expectation: 1 hold, 0 fail"), "the others are still checked");
        assertTrue(withBad.err().contains("error[E0004]"), withBad.err());
        assertEquals("1 expectation: 1 hold, 0 fail\n", run("check", good.toString()).out().lines()
                .reduce((x, y) -> y).orElse("") + "\n", "one file: the summary as before");
    }

    @Test
    void anUnknownCommandIsAUsageErrorEvenWithHelp() {
        Run r = run("frobnicate", "--help");
        assertEquals(2, r.exit(), r.out());
        assertEquals("", r.out(), "no top-level help pretending it worked");
        assertTrue(r.err().startsWith("topoc: unknown command `frobnicate`\nCommands: validate, compile, convert, fmt, "),
                r.err());
        Run typo = run("chek", "x.topo");
        assertEquals(2, typo.exit());
        assertTrue(typo.err().startsWith("topoc: unknown command `chek`; did you mean `check`?"), typo.err());
    }

    @Test
    void helpListsExitThreeAndShowsTwoValueOptionsAsTyped() {
        Run top = run("--help");
        assertTrue(top.out().contains("3 some expectation"), top.out());
        assertTrue(top.out().contains("standard error"), "the streams rule is in the help: " + top.out());
        Run sim = run("simulate", "--help");
        assertTrue(sim.out().contains("--ping A B") && sim.out().contains("--trace A B"), sim.out());
        assertFalse(sim.out().contains("--ping=") || sim.out().contains("A B A B"), sim.out());
        assertTrue(run("graph", "--help").out().contains("--highlight A B"));
    }

    @Test
    void validatePrintsCompilerStyleDiagnosticsWithACaret() throws IOException {
        Path f = write("bad.topo", """
                node a {
                  iface eth0 { address 10.0.0.300/24 }
                }
                """);
        Run r = run("validate", "--color", "never", f.toString());
        assertEquals(1, r.exit());
        String[] lines = r.out().split("\n");
        assertEquals(f + ":2:24: error[E0200]: `10.0.0.300/24` is not an address in CIDR form (e.g. 10.0.0.1/24 or 2001:db8::1/64)", lines[0]);
        assertEquals("2 |   iface eth0 { address 10.0.0.300/24 }", lines[2]);
        assertEquals("  |                        ^^^^^^^^^^^^^", lines[3]);
        assertTrue(r.out().contains("1 error, 0 warnings"), r.out());
        assertFalse(r.out().contains("\u001b["), "no colour when not asked");
    }

    @Test
    void colourOnlyWhenAsked() throws IOException {
        Path f = write("bad.topo", "node a { iface eth0 { mtu big } }\n");
        assertTrue(run("validate", "--color", "always", f.toString()).out().contains("\u001b["));
    }

    @Test
    void warningsAloneAreValid() throws IOException {
        Path f = write("warn.topo", """
                node a {
                  bridge br0 { address 10.0.0.1/24 }
                  iface p1 { master br0  address 10.0.0.9/24 }
                }
                node b { iface eth0 { address 10.0.0.2/24 } }
                link b:eth0 -- a:p1
                """);
        Run r = run("validate", f.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("warning[W0500]"), r.out());
        assertTrue(r.out().contains("0 errors, 1 warning"), r.out());
    }

    @Test
    void missingFileIsAnIoFailureInOneLine() {
        Run r = run("validate", dir.resolve("nope.topo").toString());
        assertEquals(4, r.exit());
        assertEquals("topoc: cannot read " + dir.resolve("nope.topo") + ": no such file\n", r.err());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("validate").exit());
        assertEquals(2, run("frobnicate").exit());
        assertEquals(2, run("convert", "x.topo", "--to", "xml").exit());
        assertEquals(2, run("validate", "--format", "pdf", "x.topo").exit());
    }

    @Test
    void helpAndVersion() {
        Run help = run("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("validate") && help.out().contains("Examples:"), help.out());
        for (String cmd : new String[] {"validate", "convert", "fmt"}) {
            Run r = run(cmd, "--help");
            assertEquals(0, r.exit(), cmd);
            assertTrue(r.out().contains("Example"), cmd + " --help shows an example");
        }
        Run v = run("--version");
        assertEquals(0, v.exit());
        assertTrue(v.out().startsWith("topoc "), v.out());
    }

    @Test
    void convertRoundTripsAndRefusesInvalidInput() throws IOException {
        Path f = write("two.topo", GOOD);
        Run yaml = run("convert", f.toString(), "--to", "yaml");
        assertEquals(0, yaml.exit(), yaml.err());
        Path y = write("two.yaml", yaml.out());
        assertEquals(0, run("validate", y.toString()).exit());
        Run back = run("convert", y.toString(), "--to", "dsl");
        assertEquals(0, back.exit(), back.err());
        assertEquals(run("fmt", f.toString()).out(), back.out());
        Path bad = write("bad.topo", "node a { iface eth0 { mtu big } }\n");
        Run refused = run("convert", bad.toString(), "--to", "yaml");
        assertEquals(1, refused.exit());
        assertEquals("", refused.out());
        assertTrue(refused.err().contains("error[E0004]"), refused.err());
    }

    @Test
    void fmtCheckAndWrite() throws IOException {
        Path f = write("messy.topo", "node   a {iface eth0 {address 10.0.0.1/24}}   # the only node\n");
        Run check = run("fmt", "--check", f.toString());
        assertEquals(1, check.exit());
        assertTrue(check.out().contains("not formatted"), check.out());
        assertEquals(0, run("fmt", "-w", f.toString()).exit());
        String formatted = Files.readString(f);
        assertTrue(formatted.contains("# the only node"), "comments are kept:\n" + formatted);
        assertEquals(0, run("fmt", "--check", f.toString()).exit(), formatted);
        assertEquals(formatted, run("fmt", f.toString()).out(), "fmt is idempotent");
    }

    /** Issue 17, item 1: `fmt -w` on YAML keeps every comment; anchors are refused, the file untouched. */
    @Test
    void fmtOfYamlKeepsCommentsAndRefusesAliases() throws IOException {
        Path f = write("lab.yaml", """
                # the lab
                nodes:
                  a:   # the only node
                    interfaces:
                      # its uplink
                      eth0: {addresses: [10.0.0.1/24]}
                """);
        Run check = run("fmt", "--check", f.toString());
        assertEquals(1, check.exit(), check.out());
        assertEquals(0, run("fmt", "-w", f.toString()).exit());
        assertEquals("""
                # the lab

                nodes:
                  a: # the only node
                    interfaces:
                      # its uplink
                      eth0: { addresses: [10.0.0.1/24] }
                """, Files.readString(f));
        Run dsl = run("convert", f.toString(), "--to", "dsl");
        assertEquals("# the lab\n\nnode a { # the only node\n  # its uplink\n  iface eth0 { address 10.0.0.1/24 }\n}\n",
                dsl.out());
        String aliased = "nodes:\n  a: &host { interfaces: { eth0: { addresses: [auto] } } }  # kept\n  b: *host\n";
        Path g = write("aliased.yaml", aliased);
        Run refused = run("fmt", "-w", "--color", "never", g.toString());
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains(g + ":3:6: error[E0010]: this alias would be expanded"), refused.err());
        assertEquals(aliased, Files.readString(g), "the file is left as it was");
        assertEquals(1, run("convert", g.toString(), "--to", "yaml").exit());
    }

    @Test
    void syntaxErrorsAreDiagnosticsNotStackTraces() throws IOException {
        Path f = write("broken.topo", "node a { iface { } }\nlink a:eth0 --\n");
        Run r = run("validate", f.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("error[E0001]"), r.out());
        assertFalse((r.out() + r.err()).contains("Exception"), r.out() + r.err());
    }

    @Test
    void validateWritesOneJsonDocumentForSeveralFiles() throws IOException {
        Path good = write("two.topo", GOOD);
        Path bad = write("dup.topo", GOOD.replace("10.0.0.2/24", "10.0.0.1/24"));
        Run r = run("validate", "--format", "json", good.toString(), bad.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("{\n  \"format\": \"topoc-diagnostics\",\n  \"version\": 1,"), r.out());
        assertEquals(1, r.out().split("\"format\"", -1).length - 1, "one document");
        assertTrue(r.out().contains("\"code\": \"E0300\""), r.out());
        assertTrue(r.out().contains("\"path\": \"" + good + "\",\n      \"valid\": true"), r.out());
        assertFalse(r.out().contains(": ok ("), "no text lines in JSON output");
        assertEquals(0, run("validate", "--format", "json", good.toString()).exit());
    }

    @Test
    void validateWritesOneSarifRun() throws IOException {
        Path good = write("two.topo", GOOD);
        Path bad = write("dup.topo", GOOD.replace("10.0.0.2/24", "10.0.0.1/24"));
        Run r = run("validate", "--format", "sarif", good.toString(), bad.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("\"version\": \"2.1.0\""), r.out());
        assertEquals(1, r.out().split("\"tool\"", -1).length - 1, "one run");
        assertTrue(r.out().contains("\"ruleId\": \"E0300\""), r.out());
        assertTrue(r.out().contains("\"startLine\": 3"), r.out());
    }
}

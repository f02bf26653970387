package dev.topoc.backends.bash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.SourceFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 18, item 1: no input reaches a shell unquoted. {@link Shell#quote} gives back any string (bash prints
 * the same bytes), and for arbitrary file names, prefixes and comments the generated apply.sh and destroy.sh
 * parse with {@code bash -n}, are clean for shellcheck, and never run a payload hidden in them, on the paths
 * that run without root ({@code --help}, {@code --dry-run}, an unknown option). Fixed seeds, so CI repeats.
 */
class ShellQuotingProperties {
    private static Path marker;
    private static Path work;
    private static final List<String> FOR_SHELLCHECK = new ArrayList<>();

    @BeforeContainer
    static void setUp() throws Exception {
        work = Files.createTempDirectory("topoc-quoting");
        marker = work.resolve("payload-ran");
    }

    @AfterContainer
    static void shellcheckAndCleanUp() {
        try {
            if (Lab.onPath("shellcheck") && !FOR_SHELLCHECK.isEmpty()) {
                List<String> cmd = new ArrayList<>(List.of("shellcheck"));
                cmd.addAll(FOR_SHELLCHECK);
                Lab.Result r = Lab.run(Map.of(), 300, cmd.toArray(String[]::new));
                assertEquals(0, r.code(), "shellcheck on scripts generated from hostile input:\n" + r);
            }
        } finally {
            Lab.run(Map.of(), 30, "rm", "-rf", work.toString());
        }
    }

    @Property(tries = 300, seed = "18001")
    void quoteGivesBackEveryString(@ForAll("anyText") String s) {
        Assume.that(s.indexOf('\0') < 0);
        Lab.Result r = Lab.run(Map.of(), 10, "bash", "-c", "printf %s " + Shell.quote(s));
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), r.out().getBytes(StandardCharsets.UTF_8), () -> Shell.quote(s));
    }

    @Property(tries = 300, seed = "18002")
    void displayIsInertText(@ForAll("anyText") String s) {
        assertTrue(Shell.display(s).matches("[A-Za-z0-9_.,+@%=:~?-]+(\\.\\.\\.)?"), Shell.display(s));
    }

    @Property(tries = 60, seed = "18003", shrinking = ShrinkingMode.OFF)
    void hostileFileNamesPrefixesAndCommentsNeverRun(@ForAll("fileName") String fileName, @ForAll("prefix") String prefix,
            @ForAll("comment") String comment) throws Exception {
        String text = "# " + comment + "\nnode a { iface eth0 { address 10.0.0.1/24 } }  # " + comment + "\n"
                + "node b { iface eth0 { address 10.0.0.2/24 }  vlan v5 parent eth0 id 5 }\nlink a:eth0 -- b:eth0\n";
        Compilation c = Compiler.compile(new SourceFile(fileName, text));
        if (!c.ok()) {
            // only invisible or line-breaking characters in the comment make this text invalid
            assertTrue(c.diagnostics().all().stream().allMatch(d -> !d.isError() || d.code() == Code.HIDDEN_CHARACTER),
                    () -> c.diagnostics().all().toString());
            return;
        }
        Diagnostics d = new Diagnostics();
        Artifacts a = new BashBackend().generate(c.model(), new BackendOptions(prefix, true), d);
        if (!PlanBuilder.PREFIX.matcher(prefix).matches()) {
            assertTrue(d.all().stream().anyMatch(x -> x.code() == dev.topoc.backends.bash.BashCode.BASH_BAD_PREFIX), d.all()::toString);
            assertTrue(a.files().isEmpty());
            return;
        }
        assertFalse(d.hasErrors(), d.all()::toString);
        Path dir = Files.createTempDirectory(work, "t");
        ArtifactWriter.write(a, dir);
        for (String script : List.of("apply.sh", "destroy.sh")) {
            Path p = dir.resolve(script);
            Lab.Result syntax = Lab.run(Map.of(), 20, "bash", "-n", p.toString());
            assertEquals(0, syntax.code(), () -> script + " does not parse:\n" + syntax);
            for (String arg : List.of("--help", "--dry-run", "--bogus")) {
                Lab.run(Map.of(), 20, "bash", p.toString(), arg);
                assertFalse(Files.exists(marker), () -> script + " " + arg + " ran a payload; file name " + fileName);
            }
            if (FOR_SHELLCHECK.size() < 40) {
                FOR_SHELLCHECK.add(p.toString());
            }
        }
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().withChars("'\"\\$`\n\r\t ;|&(){}<>*?[]!#~\u2028\u202e\u0085\u00e9\u4e2d").ofMaxLength(30));
    }

    /** Payload fragments that would run {@code touch MARKER} if any reached a shell as code. */
    @Provide
    Arbitrary<String> hostile() {
        String touch = "touch " + marker;
        Arbitrary<String> payload = Arbitraries.of("\n" + touch + "\n", "$(" + touch + ")", "`" + touch + "`",
                "\"; " + touch + "; \"", "'; " + touch + "; '", "\u2028" + touch, "\r" + touch + "\r",
                "$'\\n'" + touch, "\\\n" + touch);
        Arbitrary<String> noise = Arbitraries.strings().withChars("ab.-_ $'\"`\\\n!*?").ofMaxLength(6);
        return Combinators.combine(noise, payload, noise).as((x, p, y) -> x + p + y);
    }

    /** A comment runs to the end of its line: line breaks become spaces (U+2028 stays: it is refused). */
    @Provide
    Arbitrary<String> comment() {
        return hostile().map(s -> s.replace('\n', ' ').replace('\r', ' '));
    }

    @Provide
    Arbitrary<String> fileName() {
        return hostile().map(s -> s.replace("/", "_").replace("\0", "") + ".topo").filter(s -> s.length() < 200);
    }

    @Provide
    Arbitrary<String> prefix() {
        return Arbitraries.oneOf(Arbitraries.of("", "lab1-", "a.b_c-"), hostile().map(s -> s.replace("\0", "")));
    }
}

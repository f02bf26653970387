package dev.topoc.compiler.syntax.dsl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.SourceFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the input, the DSL front end returns promptly with well-formed, human-phrased diagnostics. */
class DslParserFuzzTest {
    private static final Pattern JARGON =
            Pattern.compile("mismatched|extraneous|viable|<EOF>|<missing|T__|'[A-Za-z_{}>-]+'|\\b[A-Z_]{4,}\\b");
    private static final List<String> VALID = List.of(DslFrontEndTest.LANGUAGE_EXAMPLE, DslFrontEndTest.THOUSAND_HOSTS,
            """
            node r { forwarding
              vxlan vx0 vni 42 local 10.0.0.1 remote 10.0.0.2 dev eth0 { mtu 1450 }
              rule priority 100 from 10.0.0.0/8 lookup 10
              firewall input policy drop { accept in lo  accept state established,related
                accept proto tcp dport 22 from 203.0.113.50 }
              sysctl net.ipv4.conf.all.rp_filter 0 }
            expect a -> b udp 53 noreach via r1 r2 lands b
            """);
    private static final List<String> PIECES = List.of("{", "}", "->", "--", "\"", "node", "iface", "link", "expect",
            "address", "route", "#", "//", "\n", " ", "mtu", "nat", "firewall", "accept", "x", "1.2.3.4/24", "a:b");

    @Property(tries = 300)
    void arbitraryStringsNeverBreakTheParser(@ForAll("noise") String text) {
        check(text);
    }

    @Property(tries = 400)
    void mutatedValidInputsNeverBreakTheParser(@ForAll("mutated") String text) {
        check(text);
    }

    @Provide
    Arbitrary<String> noise() {
        Arbitrary<String> chars = Arbitraries.strings().withChars("{}\"#/-> \n\t:.[]!,abc019\\").ofMaxLength(200);
        Arbitrary<String> any = Arbitraries.strings().ofMaxLength(200);
        Arbitrary<String> words = Arbitraries.of(PIECES).list().ofMaxSize(60).map(l -> String.join(" ", l));
        return Arbitraries.oneOf(chars, any, words);
    }

    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<String> base = Arbitraries.of(VALID);
        Arbitrary<List<int[]>> edits = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 100_000), Arbitraries.integers().between(0, PIECES.size() - 1))
                .as((op, at, piece) -> new int[] {op, at, piece}).list().ofMinSize(1).ofMaxSize(8);
        return Combinators.combine(base, edits).as(DslParserFuzzTest::mutate);
    }

    /** Deletes, inserts or swaps characters or whitespace-separated tokens. */
    static String mutate(String text, List<int[]> edits) {
        String s = text;
        for (int[] e : edits) {
            List<String> tokens = new ArrayList<>(List.of(s.split("(?<=\\s)|(?=\\s)")));
            int n = Math.max(1, s.length());
            int t = Math.max(1, tokens.size());
            s = switch (e[0]) {
                case 0 -> s.isEmpty() ? s : s.substring(0, e[1] % n) + s.substring(Math.min(s.length(), e[1] % n + 1));
                case 1 -> s.substring(0, e[1] % (s.length() + 1)) + PIECES.get(e[2]) + s.substring(e[1] % (s.length() + 1));
                case 2 -> {
                    if (!tokens.isEmpty()) {
                        tokens.remove(e[1] % t);
                    }
                    yield String.join("", tokens);
                }
                case 3 -> {
                    tokens.add(e[1] % (tokens.size() + 1), " " + PIECES.get(e[2]) + " ");
                    yield String.join("", tokens);
                }
                case 4 -> {
                    if (tokens.size() > 1) {
                        int i = e[1] % t;
                        int j = (e[1] / 7 + e[2]) % t;
                        String tmp = tokens.get(i);
                        tokens.set(i, tokens.get(j));
                        tokens.set(j, tmp);
                    }
                    yield String.join("", tokens);
                }
                default -> s.isEmpty() ? s : s.substring(e[1] % n) + s.substring(0, e[1] % n);
            };
        }
        return s;
    }

    static void check(String text) {
        Diagnostics d = new Diagnostics();
        assertTimeoutPreemptively(Duration.ofMinutes(5), // a hang guard (a parser that never ends), not a speed test
                () -> DslFrontEnd.parse(new SourceFile("f.topo", text), d));
        for (Diagnostic x : d.all()) {
            assertTrue(x.span().isKnown(), () -> "span unknown: " + x + " for " + text);
            assertFalse(x.message().isBlank());
            assertFalse(JARGON.matcher(x.message()).find(), () -> "jargon in: " + x.message() + " for " + text);
        }
        assertTrue(d.all().size() <= DslFrontEnd.MAX_SYNTAX_ERRORS + 1);
    }
}

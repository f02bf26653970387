package dev.topoc.compiler.syntax.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.List;

/** Helpers shared by the YAML front-end tests. */
final class YamlTesting {
    static final String FILE = "t.yaml";

    /** The example of LANGUAGE.md §2, verbatim. */
    static final String EXAMPLE = """
            topology: docker-bridge
            nodes:
              docker:
                forwarding: true                 # net.ipv4.ip_forward=1 (and IPv6 forwarding)
                interfaces:
                  ens41:   { kind: physical, addresses: [192.168.54.230/24] }
                  docker0: { kind: bridge, addresses: [172.17.0.1/16] }
                  veth-nginx: { master: docker0 }          # the docker end of a link, enslaved
                routes:
                  - { to: default, via: 192.168.54.51, dev: ens41 }
                nat:
                  - { type: masquerade, from: 172.17.0.0/16, out: "!docker0" }
                  - { type: dnat, proto: tcp, port: 8080, to: "172.17.10.10:80" }
              nginx:
                interfaces:
                  eth0: { addresses: [172.17.10.10/16] }
                routes:
                  - { to: default, via: 172.17.0.1 }
              upstream:
                kind: external
                interfaces:
                  eth0: { addresses: [192.168.54.51/24] }
                  lo:   { addresses: [192.0.2.53/32] }
            links:
              - [nginx:eth0, docker:veth-nginx]
              - { a: docker:ens41, b: upstream:eth0, mtu: 1500 }
            expect:
              - { from: nginx, to: 192.0.2.53, reach: true }
              - { from: upstream, to: "192.168.54.230", proto: tcp, port: 8080, reach: true, lands: nginx }
            """;

    private YamlTesting() {}

    record Result(TopologyAst ast, List<Diagnostic> diagnostics) {}

    static Result parse(String text) {
        Diagnostics diagnostics = new Diagnostics();
        TopologyAst ast = YamlFrontEnd.parse(new SourceFile(FILE, text), diagnostics);
        return new Result(ast, diagnostics.sorted());
    }

    static void assertSpan(Span span, int line, int column, int length) {
        assertEquals(FILE + ":" + line + ":" + column + " length " + length,
                span.file() + ":" + span.line() + ":" + span.column() + " length " + span.length());
    }

    static String show(List<Diagnostic> diagnostics) {
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : diagnostics) {
            out.append(d.span().line()).append(':').append(d.span().column()).append(' ')
                    .append(d.code()).append(' ').append(d.message()).append('\n');
        }
        return out.toString();
    }
}

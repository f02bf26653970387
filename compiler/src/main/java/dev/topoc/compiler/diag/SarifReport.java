package dev.topoc.compiler.diag;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The diagnostics of one or more files as one SARIF 2.1.0 log with one run, so that GitHub code
 * scanning (and any SARIF viewer) shows them inline. Every registered code ({@link Codes#all()}) is a rule of the
 * driver (its id, title, severity and where docs/diagnostics.md explains it); each diagnostic is a
 * result with its region (line, column, end column of the token), and its notes are related locations,
 * also referenced from the message as {@code [text](id)}. Columns count Unicode code points.
 */
public final class SarifReport {
    public static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

    private SarifReport() {}

    public static String render(List<FileReport> files, String toolVersion) {
        Map<String, Integer> artifactIndex = new LinkedHashMap<>();
        files.forEach(f -> artifactIndex.putIfAbsent(f.path(), artifactIndex.size()));
        List<Object> results = new ArrayList<>();
        for (FileReport f : files) {
            for (Diagnostic d : f.diagnostics()) {
                d.notes().forEach(n -> artifactIndex.putIfAbsent(n.span().file(), artifactIndex.size()));
                artifactIndex.putIfAbsent(d.span().file(), artifactIndex.size());
                results.add(result(d, artifactIndex));
            }
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "topoc");
        driver.put("semanticVersion", toolVersion);
        List<Object> rules = new ArrayList<>();
        for (DiagnosticCode c : Codes.all()) {
            rules.add(rule(c));
        }
        driver.put("rules", rules);
        List<Object> artifacts = new ArrayList<>();
        artifactIndex.keySet().forEach(p -> artifacts.add(Map.of("location", Map.of("uri", uri(p)))));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("artifacts", artifacts);
        run.put("columnKind", "unicodeCodePoints");
        run.put("results", results);
        int dropped = files.stream().mapToInt(FileReport::dropped).sum();
        if (dropped > 0) {
            run.put("properties", Map.of("droppedDiagnostics", dropped));
        }
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("$schema", SCHEMA);
        log.put("version", "2.1.0");
        log.put("runs", List.of(run));
        return Json.write(log);
    }

    private static Map<String, Object> rule(DiagnosticCode c) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", c.id());
        r.put("name", ruleName(c));
        r.put("shortDescription", Map.of("text", c.title()));
        r.put("help", Map.of("text", "See `### " + c.id() + " " + c.title()
                + "` in docs/diagnostics.md: a minimal bad example and its fix."));
        r.put("defaultConfiguration", Map.of("level", level(c.severity())));
        return r;
    }

    /** {@code DUPLICATE_ADDRESS} → {@code DuplicateAddress}. */
    private static String ruleName(DiagnosticCode c) {
        StringBuilder sb = new StringBuilder();
        for (String part : c.name().split("_")) {
            sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return sb.toString();
    }

    private static String level(Severity s) {
        return switch (s) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case NOTE -> "note";
        };
    }

    private static Map<String, Object> result(Diagnostic d, Map<String, Integer> artifacts) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ruleId", d.code().id());
        r.put("ruleIndex", Codes.indexOf(d.code()));
        r.put("level", level(d.severity()));
        StringBuilder text = new StringBuilder(d.message());
        List<Object> related = new ArrayList<>();
        for (int k = 0; k < d.notes().size(); k++) {
            Diagnostic.Note n = d.notes().get(k);
            Map<String, Object> loc = location(n.span(), artifacts);
            loc.put("id", k + 1);
            loc.put("message", Map.of("text", n.message()));
            related.add(loc);
            text.append(k == 0 ? " (see: " : "; ").append('[').append(escape(n.message())).append("](").append(k + 1)
                    .append(')');
        }
        if (!d.notes().isEmpty()) {
            text.append(')');
        }
        r.put("message", Map.of("text", text.toString()));
        r.put("locations", List.of(location(d.span(), artifacts)));
        if (!related.isEmpty()) {
            r.put("relatedLocations", related);
        }
        return r;
    }

    /** SARIF embedded links use [text](id); brackets in the text itself are escaped. */
    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]");
    }

    private static Map<String, Object> location(Span s, Map<String, Integer> artifacts) {
        Map<String, Object> artifact = new LinkedHashMap<>();
        artifact.put("uri", uri(s.file()));
        Integer index = artifacts.get(s.file());
        if (index != null) {
            artifact.put("index", index);
        }
        Map<String, Object> physical = new LinkedHashMap<>();
        physical.put("artifactLocation", artifact);
        if (s.isKnown()) {
            Map<String, Object> region = new LinkedHashMap<>();
            region.put("startLine", s.line());
            region.put("startColumn", Math.max(1, s.column()));
            region.put("endColumn", Math.max(1, s.column()) + Math.max(1, s.length()));
            physical.put("region", region);
        }
        Map<String, Object> loc = new LinkedHashMap<>();
        loc.put("physicalLocation", physical);
        return loc;
    }

    /** A relative path stays a relative URI reference (forward slashes, escaped); an absolute one becomes file:. */
    static String uri(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p.toUri().toString();
        }
        try {
            return new URI(null, null, path.replace('\\', '/'), null).toASCIIString();
        } catch (URISyntaxException e) {
            return path.replace('\\', '/');
        }
    }
}

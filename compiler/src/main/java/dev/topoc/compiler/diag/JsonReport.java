package dev.topoc.compiler.diag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The diagnostics of one or more files as one JSON document; the schema is documented, and kept
 * stable, in docs/diagnostics-json.md ({@code "format": "topoc-diagnostics", "version": 1}).
 */
public final class JsonReport {
    public static final int VERSION = 1;

    private JsonReport() {}

    public static String render(List<FileReport> files) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", "topoc-diagnostics");
        doc.put("version", VERSION);
        List<Object> fileList = new ArrayList<>();
        List<Object> diagnostics = new ArrayList<>();
        int errors = 0;
        int warnings = 0;
        for (FileReport f : files) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("path", f.path());
            fm.put("valid", f.ok());
            fm.put("errors", f.errors());
            fm.put("warnings", f.warnings());
            fm.put("dropped", f.dropped());
            fileList.add(fm);
            errors += f.errors();
            warnings += f.warnings();
            f.diagnostics().forEach(d -> diagnostics.add(diagnostic(d)));
        }
        doc.put("files", fileList);
        doc.put("diagnostics", diagnostics);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("valid", files.stream().allMatch(FileReport::ok));
        summary.put("errors", errors);
        summary.put("warnings", warnings);
        doc.put("summary", summary);
        return Json.write(doc);
    }

    private static Map<String, Object> diagnostic(Diagnostic d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("severity", d.severity().word());
        m.put("code", d.code().id());
        m.put("title", d.code().title());
        m.put("message", d.message());
        m.put("location", location(d.span()));
        List<Object> notes = new ArrayList<>();
        for (Diagnostic.Note n : d.notes()) {
            Map<String, Object> nm = new LinkedHashMap<>();
            nm.put("message", n.message());
            nm.put("location", location(n.span()));
            notes.add(nm);
        }
        m.put("notes", notes);
        return m;
    }

    /** {@code file}, and when known the 1-based {@code line}, {@code column} and token {@code length}. */
    private static Map<String, Object> location(Span s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", s.file());
        if (s.isKnown()) {
            m.put("line", s.line());
            m.put("column", s.column());
            m.put("length", s.length());
        }
        return m;
    }
}

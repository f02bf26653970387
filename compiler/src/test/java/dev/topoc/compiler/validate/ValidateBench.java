package dev.topoc.compiler.validate;

import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Topology;
import dev.topoc.compiler.resolve.Resolver;
import dev.topoc.compiler.syntax.FrontEnd;
import dev.topoc.compiler.syntax.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Not a test (no JUnit): times the stages on one file, in-process after warm-up, median of RUNS.
 * {@code java -cp … dev.topoc.compiler.validate.ValidateBench FILE [RUNS]}; see bench/README.md.
 */
public final class ValidateBench {
    private ValidateBench() {}

    public static void main(String[] args) throws Exception {
        String text = Files.readString(Path.of(args[0]));
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        SourceFile source = new SourceFile(args[0], text);
        long[] parse = new long[runs];
        long[] resolve = new long[runs];
        long[] validate = new long[runs];
        int diagnostics = 0;
        for (int warm = 0; warm < 2 + runs; warm++) {
            int k = Math.max(0, warm - 2);
            Diagnostics d = new Diagnostics();
            long t0 = System.nanoTime();
            TopologyAst ast = FrontEnd.parse(source, d);
            long t1 = System.nanoTime();
            Topology model = Resolver.resolve(ast, "bench", d);
            long t2 = System.nanoTime();
            var perRule = Validator.timed(model, d);
            long t3 = System.nanoTime();
            if (warm == 1 + runs) {
                perRule.forEach((rule, ns) -> System.out.printf("  %-28s %6.0f ms%n", rule, ns / 1e6));
            }
            parse[k] = t1 - t0;
            resolve[k] = t2 - t1;
            validate[k] = t3 - t2;
            diagnostics = d.all().size();
        }
        double p = median(parse);
        double r = median(resolve);
        double v = median(validate);
        System.out.printf("%s: parse %.0f ms, resolve %.0f ms, validate %.0f ms; validate/parse %.2f, "
                + "validate/(parse+resolve) %.2f; %d diagnostics%n", args[0], p, r, v, v / p, v / (p + r), diagnostics);
    }

    private static double median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }
}

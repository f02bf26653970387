package dev.topoc.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Temporary hidden entry to {@link CompileNetworkd} until {@code compile --target networkd} exists. */
@Command(name = "compile-networkd", hidden = true, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Same as `topoc compile FILE --target networkd` (temporary).")
final class CompileNetworkdCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", required = true)
    Path outDir;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "")
    String prefix;

    @Option(names = "--sandbox")
    boolean sandbox;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        return CompileNetworkd.run(file, outDir, prefix, sandbox, common, spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}

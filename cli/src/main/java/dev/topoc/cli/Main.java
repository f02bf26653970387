package dev.topoc.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line. One class per command; every command returns an exit code through
 * {@link #run(PrintWriter, PrintWriter, String...)}, which tests call in-process. Exceptions become
 * exit codes here and nowhere else: usage errors 2, I/O and internal failures 4 with a one-line message
 * (a stack trace only with {@code --debug}).
 */
@Command(
        name = "topoc",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        usageHelpAutoWidth = true,
        description = {
            "A compiler for network topologies.",
            "Describe namespaces, veths, bridges, VLAN, VXLAN, macvlan/ipvlan, routes, NAT and firewall "
                + "in YAML or the topoc DSL, keep them in git, and let topoc validate, convert, format, simulate, check and draw them."
        },
        subcommands = {ValidateCommand.class, CompileCommand.class, ConvertCommand.class, FmtCommand.class,
            SimulateCommand.class, CheckCommand.class, GraphCommand.class, PlanCommand.class, UpCommand.class,
            DownCommand.class, InspectCommand.class, ImportCommand.class, ExecCommand.class, CommandLine.HelpCommand.class},
        footer = {
            "",
            "Exit codes: 0 ok, 1 invalid input (diagnostics printed), 2 usage error,",
            "  3 some expectation fails (check), 4 I/O or internal failure,",
            "  5 changes pending (plan).",
            "Streams: results on standard output, diagnostics (warnings too) on",
            "  standard error; validate, whose diagnostics are its result, prints them",
            "  on standard output.",
            "Examples:",
            "  topoc validate samples/docker-bridge.topo",
            "  topoc compile samples/docker-bridge.topo --target bash --sandbox -o out",
            "  topoc convert samples/docker-bridge.topo --to yaml",
            "  topoc fmt --check samples/*.topo",
            "  topoc check samples/docker-bridge.topo",
            "  topoc simulate samples/docker-bridge.topo --trace nginx 192.0.2.53",
            "  topoc graph samples/docker-bridge.topo --format svg -o docker-bridge.svg",
            "  sudo topoc up samples/docker-bridge.topo --sandbox --prefix lab1-    # then plan, down",
            "  topoc import --prefix lab1- -o lab.topo",
            "  topoc inspect",
            "  topoc exec samples/docker-bridge.topo nginx --sandbox --prefix lab1- -- ping -c1 192.0.2.53",
            ""
        })
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int INVALID = 1;
    public static final int USAGE = 2;
    public static final int FAILED = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required (validate, compile, convert, fmt, simulate, check, graph, plan, up, down, inspect, import, exec)");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        if (System.getProperty("jdk.lang.Process.launchMechanism") == null) {
            // start processes by vfork and exec: Java 17's default (posix_spawn) first execs jspawnhelper, which then
            // execs the command, one exec more per process; plan and up start one per namespace (bench/README.md)
            System.setProperty("jdk.lang.Process.launchMechanism", "VFORK");
        }
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * The subcommands by name, in {@link Main}'s order, from the annotations alone (no picocli model: building the
     * model of all of them is about 0.2 s of a short run's CPU, bench/README.md).
     */
    static final java.util.Map<String, Class<?>> COMMANDS = commands();

    private static java.util.Map<String, Class<?>> commands() {
        java.util.Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
        for (Class<?> c : Main.class.getAnnotation(Command.class).subcommands()) {
            m.put(c.getAnnotation(Command.class).name(), c);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The top of the command line with {@code name}'s subcommand only: what a run of that subcommand needs. Its
     * usage, options and messages are those of the whole tree (CommandLineTest compares them); {@code help} and
     * the top-level options take the whole tree.
     */
    static CommandLine single(String name) {
        try {
            var ctor = COMMANDS.get(name).getDeclaredConstructor();
            ctor.setAccessible(true);
            return new CommandLine(new One()).addSubcommand(name, ctor.newInstance());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create the command " + name, e);
        }
    }

    /** {@link Main} without its subcommands (see {@link #single}). */
    @Command(name = "topoc", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, usageHelpAutoWidth = true)
    static final class One implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("the top level of a single command runs nothing");
        }
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        boolean one = args.length > 0 && COMMANDS.containsKey(args[0]) && COMMANDS.get(args[0]) != CommandLine.HelpCommand.class;
        CommandLine cli = one ? single(args[0]) : new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setHelpFactory(SpacedLabels::new);
        if (args.length > 0 && !args[0].startsWith("-") && !COMMANDS.containsKey(args[0])) {
            // before picocli, which would let `topoc up --help` print the top-level help and exit 0
            List<String> commands = List.copyOf(COMMANDS.keySet());
            String hint = dev.topoc.compiler.ast.Keys.closest(args[0], commands).map(c -> "; did you mean `" + c + "`?")
                    .orElse("");
            err.println("topoc: unknown command `" + args[0] + "`" + hint);
            err.println("Commands: " + String.join(", ", commands) + ". Try `topoc --help` for usage.");
            err.flush();
            return USAGE;
        }
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExitCodeExceptionMapper(e -> FAILED);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("topoc: " + ex.getMessage());
            CommandLine c = ex.getCommandLine();
            err.println("Try `" + c.getCommandSpec().qualifiedName() + " --help` for usage.");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            boolean debug = parsed.hasMatchedOption("--debug")
                    || parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"));
            if (ex instanceof CliFailure f) {
                err.println(f.located ? f.getMessage() : "topoc: " + f.getMessage());
            } else {
                err.println("topoc: internal error: " + ex + (debug ? "" : " (run with --debug for details)"));
            }
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return FAILED;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // an input that slipped past the front end's limits: one line and exit 4, never a stack trace as if
            // the input were merely invalid
            err.println("topoc: internal error: " + (e instanceof OutOfMemoryError ? "out of memory" : "stack overflow")
                    + " (please report the input that caused it)");
            err.flush();
            return FAILED;
        }
    }

    /**
     * Help that writes an option taking two values as {@code --ping A B}, as it is typed, instead of
     * picocli's {@code --ping=A B A B}; such options declare {@code hideParamSyntax} and the label "A B".
     */
    static final class SpacedLabels extends CommandLine.Help {
        SpacedLabels(CommandLine.Model.CommandSpec spec, CommandLine.Help.ColorScheme scheme) {
            super(spec, scheme);
        }

        @Override
        public CommandLine.Help.IParamLabelRenderer parameterLabelRenderer() {
            CommandLine.Help.IParamLabelRenderer base = super.parameterLabelRenderer();
            return new CommandLine.Help.IParamLabelRenderer() {
                @Override
                public CommandLine.Help.Ansi.Text renderParameterLabel(CommandLine.Model.ArgSpec arg,
                        CommandLine.Help.Ansi ansi, List<CommandLine.Help.Ansi.IStyle> styles) {
                    if (arg.isOption() && arg.hideParamSyntax() && arg.arity().min() > 1) {
                        return ansi.new Text(" " + arg.paramLabel(), colorScheme());
                    }
                    return base.renderParameterLabel(arg, ansi, styles);
                }

                @Override
                public String separator() {
                    return base.separator();
                }
            };
        }
    }

    /** An expected failure (I/O): reported as one line, exit 4. */
    static final class CliFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** The message starts with its own {@code FILE:LINE:COL: error[CODE]:} and is printed as it is. */
        final boolean located;

        CliFailure(String message) {
            this(message, false);
        }

        CliFailure(String message, boolean located) {
            super(message);
            this.located = located;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/topoc-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"topoc " + p.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version")};
        }
    }
}

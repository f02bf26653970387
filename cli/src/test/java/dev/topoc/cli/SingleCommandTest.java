package dev.topoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A run of one subcommand builds the command line of that subcommand only ({@link Main#single}): its help, its
 * options and the way it refuses bad arguments must be those of the whole tree.
 */
class SingleCommandTest {
    @Test
    void everySubcommandIsListedAsTheTreeHasIt() {
        assertEquals(List.copyOf(new CommandLine(new Main()).getSubcommands().keySet()), List.copyOf(Main.COMMANDS.keySet()));
    }

    @Test
    void aSingleCommandHasTheTreesHelpAndOptions() {
        CommandLine tree = new CommandLine(new Main());
        tree.setHelpFactory(Main.SpacedLabels::new);
        for (String name : Main.COMMANDS.keySet()) {
            if (name.equals("help")) {
                continue;
            }
            CommandLine one = Main.single(name);
            one.setHelpFactory(Main.SpacedLabels::new);
            CommandLine sub = one.getSubcommands().get(name);
            assertEquals(tree.getSubcommands().get(name).getUsageMessage(), sub.getUsageMessage(), name);
            assertEquals(tree.getSubcommands().get(name).getCommandSpec().qualifiedName(), sub.getCommandSpec().qualifiedName());
        }
    }

    @Test
    void aBadOptionIsRefusedAsBefore() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "plan", "--no-such-option", "x.topo");
        assertEquals(Main.USAGE, code);
        assertTrue(err.toString().contains("Try `topoc plan --help` for usage."), err.toString());
    }
}

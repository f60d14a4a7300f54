package dev.gafail.cli;

import dev.gafail.engine.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code gafail help [COMMAND [SUBCOMMAND]]}: a command's help, as {@code --help} prints it, or with
 * {@code --output json} its options and subcommands as a document. picocli's own help command takes
 * one word; this one walks down to a subcommand, and names a word that is no command (exit 2).
 */
@Command(name = "help", helpCommand = true, description = {"Show a command's help, e.g. gafail help lab fail.",
        "With --output json: the command's options, parameters and subcommands as one JSON document."})
final class HelpCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "A command, and a subcommand of it.")
    List<String> path = new ArrayList<>();

    @Override
    public Integer call() {
        show(gafail, find(gafail.spec.commandLine(), path));
        return 0;
    }

    /** The command that {@code words} name under {@code from}; a word that names none is a usage error. */
    static CommandLine find(CommandLine from, List<String> words) {
        CommandLine line = from;
        for (String word : words) {
            CommandLine sub = line.getSubcommands().get(word);
            if (sub == null || sub.getCommandSpec().usageMessage().hidden()) {
                throw new UnmatchedArgumentException(line, List.of(word));
            }
            line = sub;
        }
        return line;
    }

    /** Prints {@code line}'s help on stdout, as text or (--output json) as a document. */
    static void show(Gafail gafail, CommandLine line) {
        PrintWriter out = gafail.context().out();
        if (gafail.json()) {
            out.println(Json.MAPPER.writeValueAsString(document(line)));
        } else {
            line.usage(out, line.getColorScheme());
        }
        out.flush();
    }

    private static Map<String, Object> document(CommandLine line) {
        CommandSpec spec = line.getCommandSpec();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("command", spec.qualifiedName(" "));
        doc.put("description", List.of(spec.usageMessage().description()));
        doc.put("options", spec.options().stream().filter(o -> !o.hidden()).map(HelpCommand::option).toList());
        doc.put("parameters", spec.positionalParameters().stream().filter(p -> !p.hidden()).map(p -> {
            Map<String, Object> parameter = new LinkedHashMap<>();
            parameter.put("label", p.paramLabel());
            parameter.put("arity", p.arity().toString());
            parameter.put("description", String.join(" ", p.description()));
            return parameter;
        }).toList());
        List<Map<String, Object>> subcommands = new ArrayList<>();
        line.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                subcommands.add(Map.of("name", name,
                        "description", String.join(" ", sub.getCommandSpec().usageMessage().description())));
            }
        });
        doc.put("subcommands", subcommands);
        return doc;
    }

    private static Map<String, Object> option(OptionSpec o) {
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("names", List.of(o.names()));
        if (o.typeInfo().isBoolean()) {
            option.put("flag", true);
        } else {
            option.put("label", o.paramLabel());
        }
        option.put("required", o.required());
        option.put("description", String.join(" ", o.description()));
        return option;
    }
}

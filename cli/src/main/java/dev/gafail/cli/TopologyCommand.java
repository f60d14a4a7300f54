package dev.gafail.cli;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Json;
import dev.gafail.topology.Topology;
import dev.gafail.topology.TopologyImport;
import dev.gafail.topology.TopologyLoader;
import dev.gafail.yaml.InvalidFileException;
import dev.gafail.yaml.UserFiles;
import dev.gafail.yaml.YamlDocuments;
import dev.gafail.yaml.YamlTreeReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;

@Command(name = "topology", description = "Check the topology file (gafail.yaml), print an example, or import one"
        + " from the infra/aws stacks' outputs.",
        subcommands = {TopologyCommand.Validate.class, TopologyCommand.Example.class, TopologyCommand.Import.class})
final class TopologyCommand implements Runnable {

    @ParentCommand
    Gafail gafail;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        HelpCommand.show(gafail, spec.commandLine());
    }

    /** One line naming the topology in {@code file}, or with --output json its name, regions and account. */
    private void said(Topology topology, String file, String verdict, String next) {
        PrintWriter out = gafail.context().out();
        if (gafail.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("file", file);
            doc.put("topology", topology.name());
            doc.put("regions", List.copyOf(topology.regions().keySet()));
            doc.put("account", topology.account());
            out.println(Json.MAPPER.writeValueAsString(doc));
        } else {
            out.println(file + ": topology " + topology.name() + verdict + " ("
                    + String.join(", ", topology.regions().keySet()) + ", account " + topology.account() + ")" + next);
        }
        out.flush();
    }

    @Command(name = "validate", description = "Check the topology (--topology, $GAFAIL_TOPOLOGY or ./gafail.yaml);"
            + " every problem with its line and column, exit 2.")
    static final class Validate implements Callable<Integer> {

        @ParentCommand
        TopologyCommand parent;

        @Override
        public Integer call() {
            Topology topology = parent.gafail.session().topology();
            parent.said(topology, topology.file(), " is valid", "");
            return 0;
        }
    }

    @Command(name = "example", description = "Print an example gafail.yaml to start from (--output json: as JSON).")
    static final class Example implements Callable<Integer> {

        @ParentCommand
        TopologyCommand parent;

        @Override
        public Integer call() throws IOException, InvalidFileException {
            byte[] example;
            try (InputStream in = TopologyCommand.class.getResourceAsStream("/dev/gafail/topology/example.gafail.yaml")) {
                example = in.readAllBytes();
            }
            if (parent.gafail.json()) {
                parent.gafail.context().out().println(Json.MAPPER.writeValueAsString(YamlDocuments.mapping(
                        new YamlTreeReader(), "example.gafail.yaml", example, "a topology").root()));
            } else {
                parent.gafail.context().out().print(new String(example, StandardCharsets.UTF_8));
            }
            parent.gafail.context().out().flush();
            return 0;
        }
    }

    @Command(name = "import", description = {"Write gafail.yaml from the outputs of the infra/aws stacks",
            "(`cdk deploy --all --outputs-file OUTPUTS.json`), checked as `topology validate` checks it."})
    static final class Import implements Callable<Integer> {

        @ParentCommand
        TopologyCommand parent;

        @Parameters(paramLabel = "OUTPUTS.json", description = "The file `cdk deploy --outputs-file` wrote.")
        Path outputs;

        @Option(names = "--file", paramLabel = "FILE", description = "Where to write it (default: ./gafail.yaml).")
        Path output;

        @Option(names = "--force", description = "Replace the file if it exists.")
        boolean force;

        @Override
        public Integer call() {
            CliContext context = parent.gafail.context();
            Path source = context.workingDirectory().resolve(outputs);
            Path target = context.workingDirectory().resolve(output != null ? output : Path.of("gafail.yaml"));
            String yaml;
            try {
                yaml = TopologyImport.yaml(Json.MAPPER.readTree(UserFiles.read(source)));
            } catch (InvalidFileException e) {
                throw new GafailException(ExitCode.USAGE, outputs + ": " + e.problems().get(0).message());
            } catch (JacksonException e) {
                throw new GafailException(ExitCode.USAGE, outputs + ": not JSON: " + e.getOriginalMessage());
            } catch (IllegalArgumentException e) {
                throw new GafailException(ExitCode.USAGE, outputs + ": " + e.getMessage());
            }
            Topology topology;
            try {
                topology = new TopologyLoader().parse(target.toString(), yaml.getBytes(StandardCharsets.UTF_8));
            } catch (InvalidFileException e) {
                throw GafailException.invalid(e);
            }
            if (Files.exists(target) && !force) {
                throw new GafailException(ExitCode.USAGE, target + " exists; add --force to replace it (nothing was"
                        + " written)");
            }
            try {
                Files.writeString(target, yaml);
            } catch (IOException e) {
                throw new GafailException(ExitCode.STEP_FAILED, "cannot write " + target + ": " + e.getMessage());
            }
            parent.said(topology, target.toString(), "", "; next: gafail status");
            return 0;
        }
    }
}

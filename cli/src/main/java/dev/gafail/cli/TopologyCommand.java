package dev.gafail.cli;

import dev.gafail.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "topology", description = "Check the topology file (gafail.yaml) or print an example.",
        subcommands = {TopologyCommand.Validate.class, TopologyCommand.Example.class})
final class TopologyCommand implements Runnable {

    @ParentCommand
    Gafail gafail;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(gafail.context().out());
    }

    @Command(name = "validate", description = "Check the topology (--topology, $GAFAIL_TOPOLOGY or ./gafail.yaml);"
            + " every problem with its line and column, exit 2.")
    static final class Validate implements Callable<Integer> {

        @ParentCommand
        TopologyCommand parent;

        @Override
        public Integer call() {
            Topology topology = parent.gafail.topology();
            parent.gafail.context().out().println(topology.file() + ": topology " + topology.name() + " is valid ("
                    + String.join(", ", topology.regions().keySet()) + ", account " + topology.account() + ")");
            parent.gafail.context().out().flush();
            return 0;
        }
    }

    @Command(name = "example", description = "Print an example gafail.yaml to start from.")
    static final class Example implements Callable<Integer> {

        @ParentCommand
        TopologyCommand parent;

        @Override
        public Integer call() throws IOException {
            try (InputStream in = TopologyCommand.class.getResourceAsStream("/dev/gafail/topology/example.gafail.yaml")) {
                parent.gafail.context().out().print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            parent.gafail.context().out().flush();
            return 0;
        }
    }
}

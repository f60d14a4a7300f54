package dev.gafail.cli;

import dev.gafail.engine.StopSignal;
import dev.gafail.lab.LabStandIn;
import dev.gafail.servers.os.Trees;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * What the launcher runs once, with the JVM recording the classes it loads (a class-data archive, or
 * Java 25's ahead-of-time cache), so that later starts find them ready: the commands an on-call
 * engineer waits on, against {@link LabStandIn}, whose answers make the SDK read replies as well as
 * send requests. Nothing leaves the machine; its output goes nowhere.
 */
@Command(name = "__train", hidden = true, description = "Runs the commands start-up is trained on (the launcher's).")
final class TrainCommand implements Callable<Integer> {

    /** The commands trained on, each run against the stand-in's topology. */
    private static final List<List<String>> COMMANDS = List.of(List.of("status"), List.of("status", "--output", "json"),
            List.of("failover", "--to", "region-b", "--dry-run"), List.of("--help"));

    @ParentCommand
    Gafail gafail;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("gafail-train-");
        try (LabStandIn lab = LabStandIn.start(dir)) {
            // Nothing of the operator's AWS settings: the stand-in's test credentials, and no instance metadata.
            Map<String, String> env = Map.of("HOME", dir.toString(), "GAFAIL_HOME", dir.resolve("state").toString());
            int failed = 0;
            for (List<String> command : COMMANDS) {
                StringWriter errors = new StringWriter();
                CliContext context = new CliContext(new PrintWriter(Writer.nullWriter()), new PrintWriter(errors),
                        new ByteArrayInputStream(new byte[0]), false, env, dir, gafail.context().clock(),
                        gafail.context().actions(), new StopSignal(), command);
                int code = Main.run(context, Stream.concat(Stream.of("--topology", lab.topology().toString()),
                        command.stream()).toArray(String[]::new));
                // A command that failed trained on less than it should: say so, so the archive's gaps are seen.
                if (code != 0) {
                    failed++;
                    gafail.context().err().println("gafail __train: '" + String.join(" ", command) + "' exited " + code
                            + ": " + errors.toString().strip());
                }
            }
            return failed == 0 ? 0 : 1;
        } finally {
            Trees.delete(dir);
        }
    }
}

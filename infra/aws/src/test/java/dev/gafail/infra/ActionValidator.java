package dev.gafail.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * mpalmer's action-validator (npm's {@code @action-validator/cli} and {@code @action-validator/core}), which
 * checks a workflow against SchemaStore's GitHub workflow schema, compiled into the package. Installed from
 * the npm registry into this module's target folder on first use (npm's cache serves it offline after that),
 * and run with the Node.js the module already needs: {@code JSII_NODE}'s, else the one on the PATH.
 */
final class ActionValidator {

    /** Pinned: a new schema may refuse what this one accepts, and that should be a change of this line. */
    private static final String VERSION = "0.6.0";
    private static final Path HOME = Path.of("target", "action-validator").toAbsolutePath();
    private static final Path CLI = HOME.resolve("node_modules/@action-validator/cli/cli.mjs");

    private ActionValidator() {
    }

    /** Exit 0 when {@code workflow} is valid, else 1 with the schema's errors as JSON on stderr. */
    static GafailCli.Result validate(Path workflow) throws IOException, InterruptedException {
        install();
        String node = System.getenv().getOrDefault("JSII_NODE", "node");
        return GafailCli.run(List.of(node, CLI.toString(), workflow.toAbsolutePath().toString()),
                Duration.ofSeconds(60));
    }

    private static synchronized void install() throws IOException, InterruptedException {
        if (Files.exists(CLI)) {
            return;
        }
        Files.createDirectories(HOME);
        GafailCli.Result result = GafailCli.run(List.of("npm", "install", "--prefix", HOME.toString(),
                "--no-audit", "--no-fund", "--prefer-offline", "@action-validator/cli@" + VERSION,
                "@action-validator/core@" + VERSION), Duration.ofMinutes(3));
        if (result.code() != 0 || !Files.exists(CLI)) {
            throw new AssertionError("npm could not install @action-validator/cli " + VERSION + " into " + HOME
                    + " (exit " + result.code() + "): " + result.err().strip());
        }
    }
}

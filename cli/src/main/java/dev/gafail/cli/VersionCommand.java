package dev.gafail.cli;

import dev.gafail.engine.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParentCommand;

@Command(name = "version", description = "Print gafail's version.")
final class VersionCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Override
    public Integer call() {
        gafail.context().out().println(gafail.json() ? Json.MAPPER.writeValueAsString(Map.of("version", number(),
                "java", System.getProperty("java.version"))) : version());
        gafail.context().out().flush();
        return 0;
    }

    static String version() {
        return "gafail " + number() + " (Java " + System.getProperty("java.version") + ")";
    }

    /** gafail's version number, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String number() {
        Properties properties = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("/dev/gafail/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return properties.getProperty("version", "unknown");
    }

    /** For {@code gafail --version}. */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {version()};
        }
    }
}

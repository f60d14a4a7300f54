package dev.gafail.testing;

import dev.gafail.lab.Lab;
import dev.gafail.lab.LabConfig;
import dev.gafail.servers.os.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One lab for a test class, in a folder of its own (two sample-api processes in the active region),
 * and gafail run against it: {@code @RegisterExtension static final TestLab LAB = new TestLab(...)}
 * starts it before the class's first test and stops it, by process id, after its last. When a test
 * fails, the tail of each of the lab's logs is printed, since the folder goes with the lab. The lab is this
 * checkout's build, or no test of the class runs ({@link ThisCheckout}).
 */
public final class TestLab implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private final String name;
    private final UnaryOperator<LabConfig> configure;
    private Path dir;
    private Lab lab;

    /** @param configure changes the lab's default configuration (e.g. where GA's control plane lives) */
    public TestLab(String name, UnaryOperator<LabConfig> configure) {
        this.name = name;
        this.configure = configure;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ThisCheckout.require(Lab.class, Trees.class);
        dir = Files.createTempDirectory("gafail-" + name + "-");
        try {
            lab = Lab.up(configure.apply(LabConfig.defaults(dir.resolve("lab"), 2,
                    Resources.repository().resolve("sample-api/target/sample-api.jar"))));
        } catch (Exception e) {
            // a class whose lab did not start fails no test (no testFailed), and its folder goes in afterAll
            printLogs("the lab's start");
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (lab != null) {
                lab.close();
            }
        } finally {
            if (dir != null) {
                Trees.delete(dir);
            }
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        printLogs("the failure of " + context.getDisplayName());
    }

    private void printLogs(String after) {
        Path logs = dir.resolve("lab").resolve("logs");
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path log : files.filter(Files::isRegularFile).sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                System.out.println("--- " + logs.relativize(log) + " (last lines, after " + after + ")");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
            }
        } catch (IOException | UncheckedIOException e) {
            System.out.println("--- the lab's logs could not be read: " + e.getMessage());
        }
    }

    public Lab lab() {
        return lab;
    }

    /**
     * The lab's topology with its state bucket's lock lease set to {@code lease} (such as 5s), in a file of
     * its own: for a class whose killed holders' locks must go stale within a test.
     */
    public Path topologyWithLease(String lease) throws IOException {
        String text = Files.readString(lab.topologyFile());
        String leased = text.replaceFirst("(state: \\{s3: \\{[^\\n}]*?region: [a-z0-9-]+)", "$1, lease: " + lease);
        if (leased.equals(text)) {
            throw new IllegalStateException("the lab's topology names no state bucket:\n" + text);
        }
        Path file = dir.resolve("lease-" + lease + ".gafail.yaml");
        Files.writeString(file, leased);
        return file;
    }

    /** The local state folder of responder {@code name}'s machine, under the lab's folder. */
    public Path laptopHome(String name) throws IOException {
        return Files.createDirectories(dir.resolve("laptops").resolve(name).resolve(".gafail"));
    }

    /**
     * The environment of responder {@code name}'s gafail: {@code topology}, a host name, and AWS keys of
     * their own (AKIDNAME), so another identity to the lab's STS.
     */
    public static Map<String, String> laptop(String name, Path topology) {
        return Map.of("GAFAIL_TOPOLOGY", topology.toString(), "HOSTNAME", "laptop-" + name,
                "AWS_ACCESS_KEY_ID", "AKID" + name.toUpperCase(), "AWS_SECRET_ACCESS_KEY", "secret-of-" + name);
    }

    /** The folder gafail runs in: its state (journals, audit log) lives there. */
    public Path dir() {
        return dir;
    }

    /** gafail, in the lab's folder, acting on the lab's topology. */
    public CliRun.Result gafail(String... args) {
        return CliRun.in(dir).env("GAFAIL_TOPOLOGY", lab.topologyFile().toString()).run(args);
    }
}

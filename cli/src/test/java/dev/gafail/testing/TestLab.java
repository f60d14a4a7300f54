package dev.gafail.testing;

import dev.gafail.lab.Lab;
import dev.gafail.lab.LabConfig;
import dev.gafail.servers.os.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** A lab in a folder of its own, for one test class (two lab processes per region), and gafail run against it. */
public final class TestLab implements AutoCloseable {

    private final Path dir;
    private final Lab lab;

    private TestLab(Path dir, Lab lab) {
        this.dir = dir;
        this.lab = lab;
    }

    /** Starts a lab configured by {@code configure} (from the defaults) in a new temporary folder. */
    public static TestLab start(String name, UnaryOperator<LabConfig> configure) throws Exception {
        Path dir = Files.createTempDirectory("gafail-" + name + "-");
        try {
            return new TestLab(dir, Lab.up(configure.apply(LabConfig.defaults(dir.resolve("lab"), 2,
                    Resources.repository().resolve("sample-api/target/sample-api.jar")))));
        } catch (Exception | Error e) {
            Trees.delete(dir);
            throw e;
        }
    }

    public Lab lab() {
        return lab;
    }

    /** The folder gafail runs in: its state (journals, audit log) lives there. */
    public Path dir() {
        return dir;
    }

    /** gafail, in the lab's folder, acting on the lab's topology. */
    public CliRun.Result gafail(String... args) {
        return CliRun.in(dir).env("GAFAIL_TOPOLOGY", lab.topologyFile().toString()).run(args);
    }

    @Override
    public void close() throws InterruptedException, IOException {
        try {
            lab.close();
        } finally {
            Trees.delete(dir);
        }
    }
}

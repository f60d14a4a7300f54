package dev.gafail.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs gafail and the infra app as child JVMs on the test class path, and other programs, as a user runs them. */
final class GafailCli {

    record Result(int code, String out, String err) {
    }

    private GafailCli() {
    }

    static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("runbooks"))) {
            dir = dir.getParent();
        }
        return dir;
    }

    static Result java(String main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        return run(command, Duration.ofSeconds(120));
    }

    /** Runs {@code command} in the repository's root, as a user there would, for at most {@code limit}. */
    static Result run(List<String> command, Duration limit) throws IOException, InterruptedException {
        // Both streams go to files, so that a child that never closes its output still meets the limit.
        Path out = Files.createTempFile("gafail-out", ".txt");
        Path err = Files.createTempFile("gafail-err", ".txt");
        Process process = new ProcessBuilder(command).directory(repository().toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not finish within " + limit);
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The actions of {@code gafail --topology TOPOLOGY iam-policy runbooks/*.yaml}, run as a user runs it. */
    static Set<String> iamPolicyActions(Path topology) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--topology", topology.toString(), "iam-policy"));
        try (Stream<Path> files = Files.list(repository().resolve("runbooks"))) {
            files.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> args.add(p.toString()));
        }
        Result result = java("dev.gafail.cli.Main", args.toArray(String[]::new));
        if (result.code() != 0) {
            throw new AssertionError("gafail iam-policy: " + result);
        }
        Set<String> actions = new TreeSet<>();
        JsonNode policy = JsonMapper.builder().build().readTree(result.out());
        policy.path("Statement").forEach(s -> s.path("Action").forEach(a -> actions.add(a.asString())));
        return actions;
    }
}

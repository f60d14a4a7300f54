package dev.gafail.lab.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gafail.servers.os.Trees;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bundled failover planned against a third-party AWS emulator, as .github/workflows/runbooks.yml's
 * emulator job plans it: moto answers RDS, ECS, CloudWatch and STS, seeded by infra/emulator/seed, and the
 * lab serves Global Accelerator's control plane alone ({@code gafail lab up --only globalaccelerator}), the
 * one service no emulator has. Without moto (Python's {@code moto[server]}) or an AWS CLI, it is skipped, by name.
 */
class EmulatorDryRunTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern LISTENING = Pattern.compile("Running on (http://127\\.0\\.0\\.1:\\d+)");

    private static Path repository;
    private static Path dir;
    private static Process moto;
    private static String emulator;
    private static Path jar;

    /** A moto that never says it listens fails the class in its own thread; {@link #down} stops it. */
    @BeforeAll
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    static void up() throws Exception {
        repository = Repository.root();
        jar = repository.resolve("cli/target/gafail.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is not built: mvn -pl cli -am package -DskipTests");
        dir = Files.createTempDirectory("gafail-emulator-");
        assumeTrue(Child.run(List.of("python3", "-c", "import moto.server, flask"), dir, "").code() == 0,
                "no moto server for python3 (pip's moto[server])");
        assumeTrue(Child.run(List.of("aws", "--version"), dir, "").code() == 0, "no AWS CLI on the PATH");
        startMoto();
        Child.Result seeded = Child.run(List.of(repository.resolve("infra/emulator/seed").toString(), emulator), dir, "");
        assertEquals(0, seeded.code(), seeded.toString());
        Child.Result up = gafail("lab", "up", "--only", "globalaccelerator", "--emulator", emulator, "--dir", "lab");
        assertEquals(0, up.code(), up.toString());
    }

    /** Starts moto on a port of 127.0.0.1 the system picks, in the lab's account; returns once it says where it listens. */
    private static void startMoto() throws IOException {
        ProcessBuilder builder = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", "0")
                .directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("MOTO_ACCOUNT_ID", "000000000000");
        moto = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(moto.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                emulator = m.group(1);
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "moto-output");
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new AssertionError("moto ended without listening: " + String.join("\n", seen));
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (dir != null && Files.exists(dir.resolve("lab"))) {
                gafail("lab", "down", "--dir", "lab");
            }
        } finally {
            if (moto != null) {
                moto.destroy();
                moto.waitFor(10, TimeUnit.SECONDS);
                moto.destroyForcibly();
            }
            if (dir != null) {
                Trees.delete(dir);
            }
        }
    }

    private static Child.Result gafail(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return Child.run(command, dir, "");
    }

    private static Child.Result plan(Path topology) throws IOException, InterruptedException {
        return gafail("--topology", topology.toString(), "failover", "--to", "region-b", "--dry-run", "--output", "json");
    }

    /** The dry run's PLANNED events (JSON lines), by step. */
    private static Map<String, JsonNode> planned(Child.Result plan) {
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        plan.out().lines().map(JSON::readTree).filter(e -> e.path("type").asString().equals("planned"))
                .forEach(e -> steps.put(e.path("step").asString(), e));
        return steps;
    }

    /** The steps the dry run could not plan. */
    private static Set<String> unplanned(Child.Result plan) {
        Set<String> out = new TreeSet<>();
        planned(plan).forEach((step, event) -> {
            if (event.at("/data/error").asBoolean(false)) {
                out.add(step);
            }
        });
        return out;
    }

    /** The lab's topology with {@code from} replaced by {@code to}, as a file of its own. */
    private static Path topologyWith(String name, String from, String to) throws IOException {
        String text = Files.readString(dir.resolve("lab/gafail.yaml"));
        assertTrue(Pattern.compile(from, Pattern.MULTILINE).matcher(text).find(), from + " in\n" + text);
        return Files.writeString(dir.resolve(name), Pattern.compile(from, Pattern.MULTILINE).matcher(text)
                .replaceAll(to));
    }

    @Test
    void theBundledFailoverIsPlannedWholeWithTheEmulatorAndTheLabsGlobalAcceleratorAlone() throws Exception {
        RequestLog log = new RequestLog(dir.resolve("lab/aws-requests.jsonl"));
        int mark = log.mark();

        Child.Result plan = plan(dir.resolve("lab/gafail.yaml"));

        assertEquals(0, plan.code(), plan.toString());
        assertEquals(Set.of(), unplanned(plan), plan.out());
        Map<String, JsonNode> steps = planned(plan);
        // No writer endpoint in the lab's topology: the writer moves first, and the traffic-first steps are skipped.
        assertEquals(List.of("apis-answer", "target-healthy", "replication-lag", "alarms-ok",
                "target-writes-through-endpoint", "old-region-writes-through-endpoint", "scale-target",
                "shift-traffic-first", "switch-writer", "target-writes", "target-alarms-ok", "shift-traffic",
                "through-accelerator", "fence-old-region", "record", "old-region-reads", "alarms-still-ok"),
                List.copyOf(steps.keySet()));
        assertTrue(steps.get("scale-target").at("/data/change/desired").asString().endsWith("desiredCount 1 -> 2"),
                "the warm service in region-b as the emulator holds it: " + steps.get("scale-target"));
        assertTrue(steps.get("switch-writer").at("/data/change/desired").asString()
                .contains("SwitchoverGlobalCluster lab-global -> lab-region-b"), steps.get("switch-writer").toString());
        assertTrue(steps.get("replication-lag").at("/data/change/current").asString().contains("lag 120 ms"),
                "the seeded datapoint, from the emulator's CloudWatch: " + steps.get("replication-lag"));
        assertEquals(Set.of("globalaccelerator"), log.services(mark), "the lab answered Global Accelerator alone");
    }

    @Test
    void withoutTheLabsGlobalAcceleratorThePlanIsIncompleteExit7() throws Exception {
        Child.Result plan = plan(topologyWith("emulator-alone.gafail.yaml", "^  globalaccelerator: .*\\n", ""));

        assertEquals(7, plan.code(), plan.toString());
        assertEquals(Set.of("apis-answer", "shift-traffic"), unplanned(plan), plan.out());
        assertTrue(plan.err().contains("could not be planned (apis-answer, shift-traffic)"), plan.err());
    }

    @Test
    void aTopologyThatDriftedFromWhatTheEmulatorHoldsFailsThePlanNamingIt() throws Exception {
        Child.Result plan = plan(topologyWith("drifted.gafail.yaml", "cluster:lab-region-b\"", "cluster:lab-region-c\""));

        assertEquals(3, plan.code(), "a precondition reads the missing cluster's lag too: " + plan);
        JsonNode switchWriter = planned(plan).get("switch-writer");
        assertTrue(switchWriter.path("message").asString().contains("region-b's cluster"
                + " arn:aws:rds:us-west-2:000000000000:cluster:lab-region-c is not a member of the global database"),
                switchWriter.toString());
    }
}

package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.lab.LabConfig;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.Resources;
import dev.gafail.testing.StatusSchema;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code --output json} for every command in picocli's model, each with arguments that make it
 * succeed or fail cleanly against one lab (started and stopped with {@code gafail lab up/down -o json}):
 * stdout is one JSON document, or JSON lines for an execution's events, and nothing else; a command
 * that fails leaves stdout empty. A command added to gafail fails this test until it is given here.
 */
class JsonOutputLabTest {

    @TempDir
    static Path home;

    /** What stdout holds: one document, JSON lines (events), or nothing (a clean failure). */
    private enum Shape { DOCUMENT, LINES, EMPTY }

    private record Invocation(Supplier<List<String>> words, int code, Shape shape, Consumer<List<JsonNode>> check) {
    }

    private static CliRun.Result gafail(List<String> words) {
        List<String> args = new ArrayList<>(List.of("-o", "json"));
        args.addAll(words);
        return CliRun.in(home).env(LabConfig.JAR_ENV, Resources.repository().resolve("sample-api/target/sample-api.jar")
                .toString()).run(args.toArray(String[]::new));
    }

    private static List<JsonNode> parsed(CliRun.Result result, Shape shape) {
        return switch (shape) {
            case DOCUMENT -> List.of(Json.MAPPER.readTree(result.out()));
            case LINES -> result.out().lines().map(Json.MAPPER::readTree).toList();
            case EMPTY -> {
                assertEquals("", result.out());
                yield List.of();
            }
        };
    }

    @BeforeAll
    static void up() {
        CliRun.Result up = gafail(List.of("lab", "up"));
        assertEquals(0, up.code(), up.toString());
        assertEquals(2, parsed(up, Shape.DOCUMENT).get(0).path("regions").size(), up.out());
        assertTrue(up.err().contains("lab ready in "), "talk goes to stderr: " + up);
    }

    @AfterAll
    static void down() {
        CliRun.Result down = gafail(List.of("lab", "down"));
        assertEquals(0, down.code(), down.toString());
        assertEquals(home.resolve("lab").toString(), parsed(down, Shape.DOCUMENT).get(0).path("dir").asString());
        assertEquals(2, gafail(List.of("lab", "status")).code(), "the lab is down");
    }

    private static Invocation ok(Shape shape, String... words) {
        return new Invocation(() -> List.of(words), 0, shape, json -> { });
    }

    private static Invocation ok(Shape shape, Consumer<List<JsonNode>> check, String... words) {
        return new Invocation(() -> List.of(words), 0, shape, check);
    }

    private static String latestExecution() {
        return Json.MAPPER.readTree(gafail(List.of("history")).out()).get(0).path("id").asString();
    }

    private static void validStatus(List<JsonNode> json) {
        StatusSchema.assertValid(json.get(0));
    }

    @Test
    void everyCommandPrintsJsonOnStdoutAndNothingElse() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/dev/gafail/topology/cdk-outputs.json")) {
            Files.write(home.resolve("outputs.json"), in.readAllBytes());
        }
        Path empty = Files.createDirectory(home.resolve("no-lab"));
        Map<List<String>, List<Invocation>> script = new LinkedHashMap<>();
        script.put(List.of(), List.of(ok(Shape.DOCUMENT)));
        script.put(List.of("version"), List.of(ok(Shape.DOCUMENT, "version")));
        script.put(List.of("help"), List.of(ok(Shape.DOCUMENT, "help", "lab", "fail")));
        script.put(List.of("man"), List.of(ok(Shape.DOCUMENT, "man", "failover")));
        script.put(List.of("generate-completion"), List.of(ok(Shape.DOCUMENT, "generate-completion", "zsh")));
        script.put(List.of("__complete"), List.of(ok(Shape.DOCUMENT, json -> assertEquals(List.of("region-a",
                "region-b"), Json.MAPPER.convertValue(json.get(0).path("candidates"), List.class)),
                "__complete", "--", "failover", "--to", "")));
        // The launcher's start-up training prints nothing: its commands' output goes nowhere.
        script.put(List.of("__train"), List.of(new Invocation(() -> List.of("__train"), 0, Shape.EMPTY, json -> { })));
        script.put(List.of("schema"), List.of(ok(Shape.DOCUMENT, "schema", "status"), ok(Shape.DOCUMENT, "schema")));
        script.put(List.of("topology"), List.of(ok(Shape.DOCUMENT, "topology")));
        script.put(List.of("topology", "validate"), List.of(ok(Shape.DOCUMENT, "topology", "validate")));
        script.put(List.of("topology", "example"), List.of(ok(Shape.DOCUMENT, "topology", "example")));
        script.put(List.of("topology", "import"), List.of(ok(Shape.DOCUMENT, "topology", "import", "outputs.json",
                "--file", "imported.yaml")));
        script.put(List.of("validate"), List.of(ok(Shape.DOCUMENT, "validate", "bundled:failover.yaml")));
        script.put(List.of("iam-policy"), List.of(ok(Shape.DOCUMENT, "iam-policy", "bundled:failover.yaml")));
        script.put(List.of("status"), List.of(ok(Shape.DOCUMENT, JsonOutputLabTest::validStatus, "status")));
        // No drill on record yet: its rows fail, and so does the command (exit 8), its document whole.
        script.put(List.of("check"), List.of(new Invocation(() -> List.of("check"), 8, Shape.DOCUMENT,
                json -> assertTrue(json.get(0).path("failed").toString().contains("failover-drill"), json.toString()))));
        script.put(List.of("failover"), List.of(ok(Shape.LINES, "failover", "--to", "region-b", "--dry-run")));
        script.put(List.of("drill"), List.of(ok(Shape.LINES, "drill", "--dry-run")));
        script.put(List.of("plan"), List.of(ok(Shape.LINES, "plan", "bundled:example.yaml", "--set", "to=region-b")));
        script.put(List.of("run"), List.of(ok(Shape.LINES, "run", "bundled:example.yaml", "--set", "to=region-b",
                "--yes")));
        script.put(List.of("history"), List.of(ok(Shape.DOCUMENT, "history")));
        script.put(List.of("show"), List.of(new Invocation(() -> List.of("show", latestExecution()), 0, Shape.DOCUMENT,
                json -> assertEquals("succeeded", json.get(0).path("summary").path("status").asString())),
                // Following an execution that has ended: its events, one per line, and its exit code.
                new Invocation(() -> List.of("show", latestExecution(), "--follow"), 0, Shape.LINES,
                        json -> assertEquals("execution-finished", json.get(json.size() - 1).path("type").asString()))));
        script.put(List.of("report"), List.of(new Invocation(() -> List.of("report", latestExecution()), 0,
                Shape.DOCUMENT, json -> assertTrue(json.get(0).path("timeline").has("phases")))));
        script.put(List.of("abort"), List.of(new Invocation(() -> List.of("abort", latestExecution()), 2, Shape.EMPTY,
                json -> { })));
        // An execution that has ended waits for no approval: one line on stderr, stdout empty (the approvals'
        // JSON is in ApprovalsLabTest).
        script.put(List.of("approve"), List.of(new Invocation(() -> List.of("approve", latestExecution(), "--yes"), 2,
                Shape.EMPTY, json -> { })));
        script.put(List.of("state"), List.of(ok(Shape.DOCUMENT, "state")));
        script.put(List.of("state", "push"), List.of(new Invocation(() -> List.of("state", "push", "19700101"), 2,
                Shape.EMPTY, json -> { })));
        script.put(List.of("audit"), List.of(ok(Shape.DOCUMENT, "audit")));
        script.put(List.of("audit", "verify"), List.of(ok(Shape.DOCUMENT, json -> assertTrue(json.get(0)
                .path("intact").asBoolean()), "audit", "verify")));
        script.put(List.of("resume"), List.of(new Invocation(() -> List.of("resume", "19700101"), 2, Shape.EMPTY,
                json -> { })));
        script.put(List.of("reconcile"), List.of(ok(Shape.LINES, "reconcile")));
        script.put(List.of("demo"), List.of(ok(Shape.LINES, json -> {
            JsonNode report = json.get(json.size() - 1);
            assertEquals("demo-report", report.path("type").asString(), report.toString());
            assertEquals(0, report.path("writesLost").size(), report.toString());
            assertEquals(List.of("per-request", "keep-alive"), List.copyOf(report.path("kinds").propertyNames()),
                    report.toString());
            assertEquals(0, report.path("noticed").asInt(-1), report.toString());
            assertTrue(json.stream().anyMatch(e -> e.path("type").asString().equals("execution-finished")));
        }, "demo", "--steady", "1s")));
        script.put(List.of("lab"), List.of(ok(Shape.DOCUMENT, "lab")));
        script.put(List.of("lab", "up"), List.of(new Invocation(() -> List.of("lab", "up"), 1, Shape.EMPTY,
                json -> { })));
        script.put(List.of("lab", "status"), List.of(ok(Shape.DOCUMENT, "lab", "status")));
        script.put(List.of("lab", "token"), List.of(ok(Shape.DOCUMENT, "lab", "token")));
        script.put(List.of("lab", "requests"), List.of(ok(Shape.LINES, "lab", "requests", "--region", "us-west-2")));
        script.put(List.of("lab", "stall"), List.of(ok(Shape.DOCUMENT, "lab", "stall", "region-a")));
        script.put(List.of("lab", "degrade"), List.of(ok(Shape.DOCUMENT, "lab", "degrade", "region-a", "--latency",
                "10ms")));
        // A region lost: its cells say why they could not be read, and the document still fits the schema.
        script.put(List.of("lab", "fail"), List.of(ok(Shape.DOCUMENT, "lab", "fail", "region-a", "--mode", "refuse"),
                new Invocation(() -> List.of("status"), 1, Shape.DOCUMENT, json -> {
                    validStatus(json);
                    assertTrue(json.get(0).path("regions").path("region-a").path("ecs").has("error"), json.toString());
                    assertFalse(json.get(0).path("failed").isEmpty(), json.toString());
                })));
        script.put(List.of("lab", "heal"), List.of(ok(Shape.DOCUMENT, "lab", "heal", "region-a")));
        script.put(List.of("lab", "down"), List.of(new Invocation(() -> List.of("lab", "down", "--dir",
                empty.toString()), 2, Shape.EMPTY, json -> { })));

        assertEquals(new HashSet<>(Commands.all()), script.keySet(), "every command, and only those, has its case");
        for (var command : script.entrySet()) {
            for (Invocation invocation : command.getValue()) {
                List<String> words = invocation.words().get();
                CliRun.Result result = gafail(words);
                assertEquals(invocation.code(), result.code(), words + ": " + result);
                assertFalse(result.err().contains("\tat "), words + ": " + result);
                invocation.check().accept(parsed(result, invocation.shape()));
            }
        }
    }
}

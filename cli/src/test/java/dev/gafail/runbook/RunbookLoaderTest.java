package dev.gafail.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.actions.BuiltinActions;
import dev.gafail.testing.Resources;
import dev.gafail.yaml.InvalidFileException;
import dev.gafail.yaml.SourcePosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RunbookLoaderTest {

    private final RunbookLoader loader = new RunbookLoader(BuiltinActions.registry(), new Expressions());

    private Runbook parse(String yaml) throws InvalidFileException {
        return loader.parse("test.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyBundledRunbookIsValid() throws IOException {
        List<Path> runbooks;
        try (Stream<Path> files = Files.list(Resources.repository().resolve("runbooks"))) {
            runbooks = files.filter(p -> p.toString().endsWith(".yaml")).toList();
        }
        assertTrue(!runbooks.isEmpty());
        for (Path runbook : runbooks) {
            try {
                loader.load(runbook);
            } catch (InvalidFileException e) {
                throw new AssertionError(runbook + " is invalid: " + e.problems());
            }
        }
    }

    @Test
    void theReadmesRunbookIsValid() throws Exception {
        String readme = Files.readString(Resources.repository().resolve("README.md"));
        String yaml = readme.substring(readme.indexOf("```yaml\n") + 8, readme.indexOf("```", readme.indexOf("```yaml\n") + 8));

        assertEquals("example", parse(yaml).name());
    }

    @Test
    void schemaFileForEditorsIsTheGeneratedSchema() throws IOException {
        Path file = Resources.repository().resolve("runbooks/schema/runbook.schema.json");
        assertEquals(loader.schema().text(), Files.readString(file),
                "regenerate it: ./gafail schema > runbooks/schema/runbook.schema.json");
    }

    @Test
    void bindsTheModel() throws InvalidFileException {
        Runbook runbook = parse("""
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: model, description: the whole shape}
                parameters:
                  to: {type: enum, values: [region-a, region-b], required: true}
                  holdFor: {type: duration, default: 30s}
                timeout: 10m
                preconditions:
                  - {id: ready, action: control.assert, with: {that: true}}
                steps:
                  - id: pause
                    action: control.wait
                    with: {duration: "${{ params.holdFor }}"}
                    timeout: 5m
                    retry: {attempts: 3, backoff: 2s}
                    onFailure: stop
                  - parallel:
                      - {id: a, action: control.wait, with: {duration: 1s}}
                      - {id: b, action: control.wait, with: {duration: 1s}}
                  - {id: dial, action: traffic.set, with: {region: region-b, dial: 100}}
                verify:
                  - {id: done, action: control.assert, with: {that: "${{ steps.a.outputs.duration == '1s' }}"}}
                rollback:
                  - {id: undo, for: dial, action: control.wait, with: {duration: 1s}}
                """);

        assertEquals("model", runbook.name());
        assertEquals(Duration.ofMinutes(10), runbook.timeout());
        assertEquals(Duration.ofSeconds(30), runbook.parameters().get("holdFor").defaultValue());
        assertEquals(List.of("region-a", "region-b"), runbook.parameters().get("to").values());
        StepSpec pause = runbook.flatSteps().get(0);
        assertEquals(new RetryPolicy(3, Duration.ofSeconds(2), RetryPolicy.NONE.maxBackoff()), pause.retry());
        assertEquals(OnFailure.STOP, pause.onFailure());
        assertEquals(Duration.ofMinutes(5), pause.timeout());
        assertEquals(new SourcePosition("test.yaml", 11, 5), pause.position());
        assertTrue(runbook.steps().get(1) instanceof ParallelGroup group && group.steps().size() == 2);
        assertEquals("dial", runbook.rollback().get(0).compensates());
        assertEquals(OnFailure.STOP, runbook.verify().get(0).onFailure(), "checks stop by default");
    }

    @Test
    void collectsEveryProblemInOnePass() {
        InvalidFileException e = assertThrows(InvalidFileException.class, () -> parse("""
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: many}
                steps:
                  - {id: a, action: control.wiat, with: {duration: 1s}}
                  - {id: a, action: control.wait, with: {duration: soon}}
                  - {id: c, action: control.assert, with: {that: "${{ params.nope }}"}, colour: red}
                """));

        assertEquals(List.of(5, 6, 6, 7, 7), e.problems().stream().map(p -> p.position().line()).toList(),
                e.problems().toString());
    }

    @Test
    void yaml12KeepsNoAStringNotAFalse() throws InvalidFileException {
        Runbook runbook = parse("""
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: norway}
                parameters:
                  country: {type: string, default: no}
                steps:
                  - {id: a, action: control.wait, with: {duration: 1s}}
                """);

        assertEquals("no", runbook.parameters().get("country").defaultValue());
    }

    @Test
    void aliasesWithinLimitsAreExpanded() throws InvalidFileException {
        Runbook runbook = parse("""
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: aliases}
                steps:
                  - {id: a, action: control.wait, with: &short {duration: 1s}}
                  - {id: b, action: control.wait, with: *short}
                """);

        assertEquals("1s", runbook.flatSteps().get(1).with().get("duration").asString());
    }
}

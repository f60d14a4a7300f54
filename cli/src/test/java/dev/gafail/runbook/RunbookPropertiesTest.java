package dev.gafail.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gafail.actions.BuiltinActions;
import dev.gafail.yaml.Durations;
import dev.gafail.yaml.InvalidFileException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** Properties that must hold for any input, not just the examples we thought of. */
class RunbookPropertiesTest {

    private final RunbookLoader loader = new RunbookLoader(BuiltinActions.registry(), new Expressions());

    @Property
    void aDurationReadsBackAsWritten(@ForAll @LongRange(min = 0, max = 2_592_000_000L) long millis) {
        Duration duration = Duration.ofMillis(millis);

        assertEquals(duration, Durations.parse(Durations.format(duration)).orElseThrow());
    }

    /** Whatever bytes a user hands us, the answer is a runbook or a list of positioned problems, never a crash. */
    @Property(tries = 300)
    void anyInputIsARunbookOrProblemsNeverAnException(@ForAll("yamlish") String text) {
        try {
            loader.parse("fuzz.yaml", text.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidFileException e) {
            assertFalse(e.problems().isEmpty());
            e.problems().forEach(p -> assertFalse(p.position().line() < 1 || p.position().column() < 1, p.format()));
        }
    }

    /** Fragments of runbooks and YAML syntax, shuffled: closer to real mistakes than random characters. */
    @Provide
    Arbitrary<String> yamlish() {
        Arbitrary<String> pieces = Arbitraries.of("apiVersion: gafail.dev/v1\n", "kind: Runbook\n",
                "metadata: {name: x}\n", "steps:\n", "  - id: a\n", "    action: control.wait\n",
                "    with: {duration: 1s}\n", "    with: {duration: \"${{ params.d }}\"}\n", "parameters:\n",
                "  d: {type: duration, default: 2s}\n", "  - parallel:\n", "      - {id: b, action: control.assert, "
                        + "with: {that: \"${{ steps.a.outputs.x > 1 }}\"}}\n", "&x ", "*x", "[", "]", "{", "}", ": ",
                "- ", "\t", "'", "\"", "${{", "}}", "!!int ", "? ", "---\n", "\u0007", "\ud83d\ude00", "\n");
        return pieces.list().ofMaxSize(40).map(list -> String.join("", list));
    }
}

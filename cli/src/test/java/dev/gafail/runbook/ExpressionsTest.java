package dev.gafail.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpressionsTest {

    private final Expressions expressions = new Expressions();
    private final Map<String, Object> variables = Map.of(
            "params", Map.of("count", 3L, "holdFor", Duration.ofSeconds(30), "to", "region-b"),
            "steps", Map.of("check", Map.of("outputs", Map.of("ok", true))));

    private Object eval(String text) throws Expressions.ExpressionException {
        return expressions.evaluate(expressions.parse(text), variables);
    }

    @Test
    void aSingleExpressionKeepsItsType() throws Exception {
        assertEquals(true, eval("${{ params.count > 2 && steps.check.outputs.ok }}"));
        assertEquals(false, eval("${{ 1 == 2 }}"));
        assertEquals(Duration.ofSeconds(30), eval("${{ params.holdFor }}"));
        assertEquals(3L, eval("  ${{ params.count }}  "));
    }

    @Test
    void theDocumentedOperatorsWork() throws Exception {
        for (String holds : List.of("params.to =^ 'region'", "params.to =$ '-b'", "params.to =~ ['region-a', 'region-b']",
                "size(params.to) == 8", "!empty(params.to)", "params.count > 2 and not (params.count > 5)",
                "params.count % 2 == 1 ? true : false", "params.holdFor >= params.holdFor")) {
            assertEquals(true, eval("${{ " + holds + " }}"), holds);
        }
    }

    @Test
    void expressionsInsideTextAreSplicedIn() throws Exception {
        assertEquals("move to region-b, hold 30s", eval("move to ${{ params.to }}, hold ${{ params.holdFor }}"));
    }

    @Test
    void referencesAreListedForValidation() throws Exception {
        Expressions.Template template = expressions.parse("${{ params.count > 2 && steps.check.outputs.ok }}");

        assertEquals(Set.of(List.of("params", "count"), List.of("steps", "check", "outputs", "ok")),
                Expressions.references(template.parts().get(0)));
    }

    @Test
    void sideEffectsAndClassAccessAreNotPartOfTheLanguage() {
        for (String bad : List.of("${{ params.count = 4 }}", "${{ new('java.io.File', '/') }}",
                "${{ params.to.getClass() }}", "${{ while (true) {} }}", "${{ x -> x }}")) {
            assertThrows(Expressions.ExpressionException.class, () -> expressions.parse(bad), bad);
        }
    }

    @Test
    void evaluationErrorsSayWhichExpression() throws Exception {
        Expressions.Template template = expressions.parse("${{ steps.missing.outputs.ok }}");

        Expressions.ExpressionException e = assertThrows(Expressions.ExpressionException.class,
                () -> expressions.evaluate(template, variables));
        assertTrue(e.getMessage().startsWith("cannot evaluate 'steps.missing.outputs.ok'"), e.getMessage());
    }
}

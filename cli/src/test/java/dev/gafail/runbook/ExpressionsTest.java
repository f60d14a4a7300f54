package dev.gafail.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpressionsTest {

    private final Expressions expressions = new Expressions();
    private final Map<String, Object> variables = Map.of(
            "params", Map.of("count", 3L, "holdFor", Duration.ofSeconds(30), "to", "region-b"),
            "steps", Map.of("check", Map.of("outputs", Map.of("ok", true, "dials", Map.of("region-a", 0L),
                    "regions", List.of("region-a", "region-b")))),
            "topology", Map.of("peer", Map.of("region-b", "region-a")));

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

    @Test
    void mapsListsAndLiteralsAreReadByKeyAndIndex() throws Exception {
        assertEquals(0L, eval("${{ steps.check.outputs.dials['region-a'] }}"));
        assertEquals("region-b", eval("${{ steps.check.outputs.regions[1] }}"));
        assertEquals(2, eval("${{ size(steps.check.outputs.regions) }}"));
        assertEquals("region-a", eval("${{ topology.peer[params.to] }}"));
        assertEquals(2, eval("${{ [1, 2][1] }}"));
        assertEquals(1, eval("${{ {'a': 1}.a }}"));
    }

    /** No Java member is reachable from any value: strings, numbers, durations, maps, lists. */
    @Test
    void javaMembersOfValuesAreOutOfReach() throws Exception {
        for (String member : List.of("params.to.class", "params.to.bytes", "params.to.empty", "params.to.blank",
                "params.to.chars", "params.to.length", "params.to.class.name", "params.to['class']",
                "params.to.hashCode", "params.to.toString", "params.count.class", "params.holdFor.seconds",
                "params.holdFor.class", "steps.check.outputs.ok.class", "steps.check.outputs.regions.size",
                "steps.check.outputs.regions.class", "steps.check.outputs.regions[0].bytes", "'text'.class",
                "[1, 2].length", "params.to.wait", "params.to.notify")) {
            Expressions.Template template = expressions.parse("${{ " + member + " }}");
            Expressions.ExpressionException e = assertThrows(Expressions.ExpressionException.class,
                    () -> expressions.evaluate(template, variables), member);
            assertTrue(e.getMessage().startsWith("cannot evaluate '" + member + "'"), e.getMessage());
        }
    }

    /** What would overflow JEXL's recursive parser or evaluator is refused before JEXL sees it, with where. */
    @Test
    void expressionsTooDeepOrTooLongAreRefusedWithTheirPosition() {
        Map<String, Integer> where = new LinkedHashMap<>();
        where.put("(".repeat(400) + "1" + ")".repeat(400), 3 + 1 + 32);
        where.put("[".repeat(500) + "1" + "]".repeat(500), 3);
        where.put("1" + " + 1".repeat(9999), 3);
        where.put("!".repeat(2000) + "true", 3);
        where.put("!".repeat(100) + "true", 3 + 1 + 32);
        where.put("- ".repeat(50) + "1", 3 + 1 + 64);
        where.put("not ".repeat(40) + "true", 3 + 1 + 128);
        where.put("((((" + "!".repeat(29) + "true))))", 3 + 1 + 32);
        where.put("x".repeat(Expressions.MAX_LENGTH + 1), 3);
        where.forEach((source, offset) -> {
            Expressions.ExpressionException e = assertThrows(Expressions.ExpressionException.class,
                    () -> expressions.parse("${{ " + source + " }}"), source.substring(0, 20));
            assertTrue(e.getMessage().matches("expression is (nested more than 32 levels deep|\\d+ characters long).*"),
                    e.getMessage());
            assertEquals((int) offset, e.offset(), source.substring(0, 20));
        });
    }

    @Test
    void expressionsJustWithinTheBoundsWork() throws Exception {
        assertEquals(1, eval("${{ " + "(".repeat(32) + "1" + ")".repeat(32) + " }}"));
        assertEquals(true, eval("${{ " + "!".repeat(32) + "true }}"));
        assertEquals(1, eval("${{ '" + "(".repeat(100) + "' != '' ? 1 : 0 }}"), "brackets in strings do not count");
        assertEquals(true, eval("${{ params.count != 2 && params.to != 'x' && !(params.count == -1) }}"));
        assertEquals(Expressions.MAX_LENGTH / 4 + 1, eval("${{ 1" + "+1".repeat(Expressions.MAX_LENGTH / 4) + " }}"));
    }

    /** The deepest kinds of expression within the bounds. */
    private static final List<String> DEEPEST = List.of(
            "(".repeat(16) + "!".repeat(16) + "1 < " + "1 + ".repeat(220) + "1" + ")".repeat(16),
            "(".repeat(16) + "!".repeat(16) + "1?1:".repeat(230) + "1" + ")".repeat(16));

    @Test
    void theDeepestExpressionsWithinTheBoundsFitHalfAThreadStack() throws Exception {
        for (String deepest : DEEPEST) {
            Expressions.Template template = expressions.parse("${{ " + deepest + " }}");
            Object outcome = onStack(512 * 1024, 0, template);
            assertTrue(outcome.equals(true) || outcome.equals(1), String.valueOf(outcome));
        }
    }

    /** Whenever the stack runs out while an expression is evaluated, the caller gets an expression error. */
    @Test
    void aStackOverflowDuringEvaluationIsAnExpressionErrorNotAJvmError() throws Exception {
        Expressions.Template template = expressions.parse("${{ " + DEEPEST.get(0) + " }}");
        for (int frames = 0; frames < 200_000; frames += 200) {
            Object outcome = onStack(512 * 1024, frames, template);
            if (!outcome.equals(true)) {
                assertTrue(outcome instanceof Expressions.ExpressionException e
                        && e.getMessage().endsWith("nested too deeply"), String.valueOf(outcome));
                return;
            }
        }
        throw new AssertionError("the stack never ran out");
    }

    /** Evaluates on a thread of {@code bytes} of stack, {@code frames} calls deep; what it returned or threw. */
    private Object onStack(long bytes, int frames, Expressions.Template template) throws InterruptedException {
        Object[] outcome = new Object[1];
        Thread thread = new Thread(null, () -> outcome[0] = descend(frames, template), "stack", bytes);
        thread.start();
        thread.join();
        return outcome[0];
    }

    private Object descend(int frames, Expressions.Template template) {
        if (frames > 0) {
            return descend(frames - 1, template);
        }
        try {
            return expressions.evaluate(template, variables);
        } catch (Throwable t) {
            return t;
        }
    }
}

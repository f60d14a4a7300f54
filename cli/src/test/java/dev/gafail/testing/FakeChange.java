package dev.gafail.testing;

import dev.gafail.engine.AbstractAction;
import dev.gafail.engine.Change;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.engine.Unreachable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code test.change {key}}: a test step type that makes a key present in a {@link FakeWorld}, can
 * fail on demand (retryable or not), hang, or meet a sibling at a barrier; its rollback removes the key,
 * and can fail on demand too (retryably).
 */
public final class FakeChange extends AbstractAction<FakeChange.Params, FakeChange.Outputs> {

    /**
     * @param failApplies how many applies fail before one succeeds
     * @param hang        apply blocks until cancelled
     * @param barrier     apply waits (5 s at most) for another step at the barrier of this name
     * @param failRollbacks how many rollbacks fail (retryably) before one succeeds
     * @param unreachable how many applies find "the test's region" not answering, before the others
     */
    public record Params(String key, Integer failApplies, Boolean retryable, Boolean hang, String barrier,
                         Integer failRollbacks, Integer unreachable) {
    }

    /** What apply made present. */
    public record Outputs(String key) {
    }

    /** What plan found: the key's state before the change. */
    public record Observed(String before) {
    }

    private final FakeWorld world;

    public FakeChange(FakeWorld world) {
        super("test.change", Params.class, Outputs.class, false, List.of("test:Change"), """
                        {"type": "object", "additionalProperties": false, "required": ["key"],
                         "properties": {"key": {"type": "string"}, "failApplies": {"$ref": "#/$defs/intOrExpression"},
                           "retryable": {"type": "boolean"}, "hang": {"type": "boolean"}, "barrier": {"type": "string"},
                           "failRollbacks": {"$ref": "#/$defs/intOrExpression"},
                           "unreachable": {"$ref": "#/$defs/intOrExpression"}}}""");
        this.world = world;
    }

    @Override
    public Change plan(Params p, StepContext context) {
        world.record("plan:" + p.key());
        return world.present(p.key()) ? Change.alreadyDone("present")
                : Change.to("absent", "present").observing(new Observed("absent"));
    }

    @Override
    public Outputs apply(Params p, StepContext context) throws StepFailure, InterruptedException {
        world.record("apply:" + p.key());
        world.applyProbe().accept(p.key());
        if (p.barrier() != null) {
            try {
                world.barrier(p.barrier()).await(5, TimeUnit.SECONDS);
            } catch (BrokenBarrierException | TimeoutException e) {
                throw StepFailure.permanent("no sibling reached barrier " + p.barrier() + ": steps ran one by one");
            }
        }
        if (Boolean.TRUE.equals(p.hang())) {
            Thread.sleep(TimeUnit.MINUTES.toMillis(10));
        }
        String silent = "unreachable:" + p.key();
        if (world.failures(silent) < (p.unreachable() == null ? 0 : p.unreachable())) {
            world.fail(silent);
            throw new Unreachable("the test's region", "the test's region did not answer", false, null);
        }
        int failApplies = p.failApplies() == null ? 0 : p.failApplies();
        if (world.failures(p.key()) < failApplies) {
            int before = world.fail(p.key());
            throw new StepFailure("injected failure " + (before + 1) + " of " + p.key(),
                    Boolean.TRUE.equals(p.retryable()));
        }
        world.put(p.key());
        return new Outputs(p.key());
    }

    @Override
    public boolean compensable() {
        return true;
    }

    @Override
    public void rollback(Params p, Change observed, Optional<Outputs> outputs, StepContext context)
            throws StepFailure {
        world.record("rollback:" + p.key());
        world.applyProbe().accept("rollback:" + p.key());
        world.rolledBackWith(p.key(), outputs);
        String failing = "rollback of " + p.key();
        if (world.failures(failing) < (p.failRollbacks() == null ? 0 : p.failRollbacks())) {
            throw new StepFailure("injected failure " + (world.fail(failing) + 1) + " of the " + failing, true);
        }
        world.remove(p.key());
    }
}

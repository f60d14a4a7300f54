package dev.gafail.aws;

import dev.gafail.engine.HeldLock;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Refuses every AWS call, and every retry of one, before it is sent once the lease of the execution's
 * lock is lost: a process that was paused past its lease (in a call's backoff, too), or cut off from
 * the state bucket, must not act while another may.
 * The refusal ({@link dev.gafail.engine.LockLost}) reaches the engine through {@link AwsErrors#failure}.
 */
final class LeaseGuard implements ExecutionInterceptor {

    private final HeldLock held;

    LeaseGuard(HeldLock held) {
        this.held = held;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        held.check();
    }

    /** Each attempt, after the retry strategy's backoff: a retry is a call of its own. */
    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        held.check();
    }
}

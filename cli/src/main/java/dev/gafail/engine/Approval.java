package dev.gafail.engine;

import java.time.Instant;

/**
 * One person's approval of an execution's plan, as the shared state keeps it ({@code gafail approve}).
 *
 * @param identity the approver's AWS identity (the caller's ARN): what the two-person rule compares
 * @param by       the approver's user and host, for people to read
 * @param plan     the hash of the plan approved ({@link PlanApproval#plan()})
 * @param at       when the state received it, by the state's own clock
 * @param reason   why, as the approver said it; may be null
 */
public record Approval(String identity, String by, String plan, Instant at, String reason) {
}

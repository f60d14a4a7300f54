package dev.gafail.engine;

import java.time.Instant;
import java.util.Map;

/**
 * One person's approval of an execution's plan, as the shared state keeps it ({@code gafail approve}).
 *
 * @param identity the approver's AWS identity (the caller's ARN), as claimed; the rule compares the verified one
 * @param by       the approver's user and host, for people to read
 * @param plan     the hash of the plan approved ({@link PlanApproval#plan()})
 * @param at       when the state received it, by the state's own clock
 * @param reason   why, as the approver said it; may be null
 * @param proof    what proves the identity ({@link ApprovalVerifier}), as the state keeps it; may be empty
 */
public record Approval(String identity, String by, String plan, Instant at, String reason, Map<String, Object> proof) {

    public Approval {
        proof = proof == null ? Map.of() : Map.copyOf(proof);
    }
}

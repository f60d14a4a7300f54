package dev.gafail.engine;

import dev.gafail.runbook.ApprovalPolicy;
import java.util.List;
import java.util.Optional;

/** What an execution's plan approval needs to know beyond the plan: the policy, who asks, what others gave. */
public interface Approvals {

    ApprovalPolicy policy();

    /** The AWS identity of the one who runs the execution; they approve at the prompt, never for others. */
    Optional<String> requester();

    /** The AWS account the execution acts in, when it knows it. */
    Optional<String> account();

    /** The topology the execution acts on, when it has one. */
    Optional<String> topology();

    /** Every approval the state holds for the execution, of any plan; read anew at each call. */
    List<Approval> given();

    /** The identity AWS vouches for behind {@code approval} of {@code plan}, or why there is none. */
    ApprovalVerifier.Verified verify(Approval approval, String plan);

    /** The one who runs it approves alone, and nothing else is known (a dry run, a test). */
    static Approvals alone() {
        return new Approvals() {
            @Override
            public ApprovalPolicy policy() {
                return ApprovalPolicy.ONE;
            }

            @Override
            public Optional<String> requester() {
                return Optional.empty();
            }

            @Override
            public Optional<String> account() {
                return Optional.empty();
            }

            @Override
            public Optional<String> topology() {
                return Optional.empty();
            }

            @Override
            public List<Approval> given() {
                return List.of();
            }

            @Override
            public ApprovalVerifier.Verified verify(Approval approval, String plan) {
                return ApprovalVerifier.NONE.verify(approval, "", plan);
            }
        };
    }
}

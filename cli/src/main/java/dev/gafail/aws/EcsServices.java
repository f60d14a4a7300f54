package dev.gafail.aws;

import static dev.gafail.aws.AwsErrors.call;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Service;

/** A region's ECS service: its counts and its deployments' rollout. */
public final class EcsServices {

    private final AwsClients aws;

    public EcsServices(AwsClients aws) {
        this.aws = aws;
    }

    /** The status of the deployment ECS converges to (the SDK has no enum for a deployment's status). */
    public static final String PRIMARY = "PRIMARY";

    /**
     * One deployment of the service: {@value #PRIMARY} is the one ECS converges to.
     *
     * @param state its rollout as AWS spells it, or null where ECS reports none (no circuit breaker)
     */
    public record Rollout(String id, String status, String state, String reason, int desired, int running) {

        public boolean primary() {
            return PRIMARY.equals(status);
        }

        /** The rollout as the SDK's enum, for comparing (null when ECS reports none). */
        public DeploymentRolloutState rollout() {
            return state == null ? null : DeploymentRolloutState.fromValue(state);
        }
    }

    /** @param primary the PRIMARY deployment, if ECS reported one */
    public record State(int desired, int running, int pending, Optional<Rollout> primary, List<Rollout> deployments) {

        /**
         * Fenced at {@code count}: desired is {@code count} and no more tasks than that run. A region whose
         * tasks cannot start (drained, lost) is fenced though it never becomes steady.
         */
        public boolean fencedAt(int count) {
            return desired == count && running <= count;
        }

        /** At the desired count, its primary deployment's rollout completed. */
        public boolean steadyAt(int count) {
            return desired == count && running == count && pending == 0
                    && primary.map(p -> p.rollout() == DeploymentRolloutState.COMPLETED || p.state() == null)
                    .orElse(false);
        }

        public String summary() {
            return "desired " + desired + ", running " + running + (pending > 0 ? ", pending " + pending : "")
                    + primary.map(p -> ", rollout " + (p.state() == null ? "unknown" : p.state())).orElse("");
        }
    }

    public State describe(Region region) throws StepFailure {
        Service service = service(region);
        List<Rollout> deployments = service.deployments().stream().map(EcsServices::rollout).toList();
        return new State(service.desiredCount(), service.runningCount(), service.pendingCount(),
                deployments.stream().filter(Rollout::primary).findFirst(), deployments);
    }

    /** The region's service as ECS describes it, for what {@link #describe} leaves out (gafail check). */
    public Service service(Region region) throws StepFailure {
        DescribeServicesResponse response = call("DescribeServices", () -> aws.ecs(region.awsRegion())
                .describeServices(r -> r.cluster(region.ecs().cluster()).services(region.ecs().service())));
        if (response.services().isEmpty()) {
            String reason = response.failures().isEmpty() ? "not found" : response.failures().get(0).reason();
            throw StepFailure.permanent("DescribeServices: service " + region.ecs().service() + " in cluster "
                    + region.ecs().cluster() + " (" + region.awsRegion() + "): " + reason);
        }
        return response.services().get(0);
    }

    public void setDesired(Region region, int count) throws StepFailure {
        call("UpdateService", () -> aws.ecs(region.awsRegion()).updateService(r -> r.cluster(region.ecs().cluster())
                .service(region.ecs().service()).desiredCount(count)));
    }

    private static Rollout rollout(Deployment d) {
        return new Rollout(d.id(), d.status(), d.rolloutStateAsString(), d.rolloutStateReason(),
                d.desiredCount() == null ? 0 : d.desiredCount(), d.runningCount() == null ? 0 : d.runningCount());
    }
}

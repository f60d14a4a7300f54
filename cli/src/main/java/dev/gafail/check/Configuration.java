package dev.gafail.check;

import dev.gafail.actions.Target;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.globalaccelerator.model.EndpointDescription;
import software.amazon.awssdk.services.globalaccelerator.model.EndpointGroup;
import software.amazon.awssdk.services.globalaccelerator.model.HealthCheckProtocol;

/**
 * How a region is set up for a failover: its endpoint group holds endpoints, and its health-check settings
 * mean what they say; its ECS service rolls a failed deployment back by itself.
 */
final class Configuration {

    /**
     * An Application or Network Load Balancer: for these the accelerator uses the load balancer's own health
     * checks, and ignores the endpoint group's settings.
     */
    private static final Pattern LOAD_BALANCER = Pattern.compile(
            "^arn:[^:]+:elasticloadbalancing:[^:]+:\\d+:loadbalancer/(app|net)/.+$");

    private final Target target;

    Configuration(Target target) {
        this.target = target;
    }

    /** The region's endpoint group: endpoints there are, and custom health checks on load balancers, flagged. */
    Finding.Outcome accelerator(Region region, Clock clock) throws StepFailure {
        EndpointGroup group = target.accelerator().described(region.endpointGroupArn());
        List<EndpointDescription> endpoints = group.endpointDescriptions();
        if (endpoints.isEmpty()) {
            return Finding.Outcome.fail("endpoint group " + region.endpointGroupArn() + " has no endpoints: the"
                    + " accelerator cannot send " + region.name() + " any traffic", clock.instant());
        }
        String listed = endpoints.size() + " endpoint(s) (" + String.join(", ", endpoints.stream()
                .map(e -> e.endpointId() + " " + e.healthStateAsString()).toList()) + "), dial "
                + (group.trafficDialPercentage() == null ? 100 : Math.round(group.trafficDialPercentage())) + "%";
        List<String> balancers = endpoints.stream().map(EndpointDescription::endpointId)
                .filter(id -> id != null && LOAD_BALANCER.matcher(id).matches()).toList();
        boolean customised = group.healthCheckProtocol() == HealthCheckProtocol.HTTP
                || group.healthCheckProtocol() == HealthCheckProtocol.HTTPS
                || group.healthCheckPath() != null && !group.healthCheckPath().equals("/");
        if (!balancers.isEmpty() && customised) {
            return Finding.Outcome.warn(listed + "; its health check (" + group.healthCheckProtocolAsString() + " "
                    + group.healthCheckPath() + ") is ignored for load balancer endpoints (" + String.join(", ", balancers)
                    + "): the accelerator uses the load balancer's own target health; set the health check there",
                    clock.instant());
        }
        return Finding.Outcome.pass(listed, clock.instant());
    }

    /** The service's deployment circuit breaker, with rollback: a failed deployment rolls itself back. */
    static Finding.Outcome deployments(Region region, Service service, Clock clock) {
        DeploymentCircuitBreaker breaker = service.deploymentConfiguration() == null ? null
                : service.deploymentConfiguration().deploymentCircuitBreaker();
        String name = region.ecs().cluster() + "/" + region.ecs().service();
        if (breaker != null && Boolean.TRUE.equals(breaker.enable()) && Boolean.TRUE.equals(breaker.rollback())) {
            return Finding.Outcome.pass(name + ": deployment circuit breaker with rollback", clock.instant());
        }
        return Finding.Outcome.warn(name + ": " + (breaker == null || !Boolean.TRUE.equals(breaker.enable())
                ? "no deployment circuit breaker" : "a deployment circuit breaker without rollback")
                + ": a failed deployment in " + region.name() + " is not rolled back by itself", clock.instant());
    }
}

package dev.gafail.check;

import static dev.gafail.aws.AwsErrors.call;
import dev.gafail.actions.Target;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.servicequotas.model.NoSuchResourceException;
import software.amazon.awssdk.services.servicequotas.model.ServiceQuota;

/**
 * Whether a region can take the load: its service at its active count fits in the account's Fargate vCPU
 * quota there (Service Quotas; the quota is the account's in that region, and other workloads count against
 * it too), and the service's subnets have a free address for each task it must still start (a Fargate task
 * takes one). Every read goes to the region's own endpoints.
 */
final class Capacity {

    /** Service Quotas' code of "Fargate On-Demand vCPU resource count", per region. */
    static final String FARGATE_VCPU_QUOTA = "L-3032A538";
    static final String FARGATE = "fargate";

    private final Target target;

    Capacity(Target target) {
        this.target = target;
    }

    Finding.Outcome evaluate(Region region, Service service, Clock clock) throws StepFailure {
        String awsRegion = region.awsRegion();
        int active = region.ecs().activeCount();
        double taskVcpu = vcpu(call("DescribeTaskDefinition", () -> target.aws().ecs(awsRegion)
                .describeTaskDefinition(r -> r.taskDefinition(service.taskDefinition())).taskDefinition().cpu()),
                service.taskDefinition());
        double quota = quota(awsRegion).value();
        double needed = active * taskVcpu;
        List<String> problems = new ArrayList<>();
        String vcpus = active + " active tasks × " + number(taskVcpu) + " vCPU = " + number(needed) + " of the "
                + number(quota) + " Fargate vCPUs the account may run in " + awsRegion;
        if (needed > quota) {
            problems.add(vcpus);
        }
        int more = Math.max(0, active - service.runningCount());
        AwsVpcConfiguration network = service.networkConfiguration() == null ? null
                : service.networkConfiguration().awsvpcConfiguration();
        String addresses;
        if (network == null || network.subnets().isEmpty()) {
            addresses = "no awsvpc subnets to read";
        } else {
            long free = call("DescribeSubnets", () -> target.aws().ec2(awsRegion)
                    .describeSubnets(r -> r.subnetIds(network.subnets())).subnets()).stream()
                    .mapToLong(s -> s.availableIpAddressCount() == null ? 0 : s.availableIpAddressCount()).sum();
            addresses = more + " more task(s) need " + more + " address(es); subnets "
                    + String.join(", ", network.subnets()) + " have " + free + " free";
            if (free < more) {
                problems.add(addresses);
            }
        }
        return problems.isEmpty() ? Finding.Outcome.pass(vcpus + "; " + addresses, clock.instant())
                : Finding.Outcome.fail("cannot take the load: " + String.join("; ", problems), clock.instant());
    }

    /** The account's applied quota, else (never raised, as Service Quotas then says) AWS's default. */
    private ServiceQuota quota(String awsRegion) throws StepFailure {
        try {
            return call("GetServiceQuota", () -> target.aws().serviceQuotas(awsRegion)
                    .getServiceQuota(r -> r.serviceCode(FARGATE).quotaCode(FARGATE_VCPU_QUOTA)).quota());
        } catch (StepFailure e) {
            if (!(e.getCause() instanceof NoSuchResourceException)) {
                throw e;
            }
        }
        return call("GetAWSDefaultServiceQuota", () -> target.aws().serviceQuotas(awsRegion)
                .getAWSDefaultServiceQuota(r -> r.serviceCode(FARGATE).quotaCode(FARGATE_VCPU_QUOTA)).quota());
    }

    /** A task definition's cpu in vCPUs: ECS gives CPU units ({@code 256}) or {@code 0.25 vCPU}. */
    static double vcpu(String cpu, String taskDefinition) throws StepFailure {
        String text = cpu == null ? "" : cpu.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("vcpu")) {
                return Double.parseDouble(text.substring(0, text.length() - 4).trim());
            }
            return Integer.parseInt(text) / 1024.0;
        } catch (NumberFormatException e) {
            throw StepFailure.permanent("task definition " + taskDefinition + " has no task-level cpu ('" + cpu
                    + "'), which Fargate requires");
        }
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}

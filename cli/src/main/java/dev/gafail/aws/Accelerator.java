package dev.gafail.aws;

import static dev.gafail.aws.AwsErrors.call;
import dev.gafail.engine.StepFailure;
import java.util.List;
import software.amazon.awssdk.services.globalaccelerator.GlobalAcceleratorClient;
import software.amazon.awssdk.services.globalaccelerator.model.AcceleratorStatus;
import software.amazon.awssdk.services.globalaccelerator.model.EndpointDescription;
import software.amazon.awssdk.services.globalaccelerator.model.EndpointGroup;
import software.amazon.awssdk.services.globalaccelerator.model.HealthState;

/** The accelerator's side of gafail: its deployment status and its endpoint groups' traffic dials. */
public final class Accelerator {

    private final GlobalAcceleratorClient client;
    private final String arn;

    public Accelerator(GlobalAcceleratorClient client, String arn) {
        this.client = client;
        this.arn = arn;
    }

    /**
     * {@code DEPLOYED}, or {@code IN_PROGRESS} while a change is being propagated, as AWS spells it
     * (the SDK's enum reads an unknown value as null); compare it with {@link #deployed}.
     */
    public String status() throws StepFailure {
        return call("DescribeAccelerator", () -> client.describeAccelerator(r -> r.acceleratorArn(arn))
                .accelerator().statusAsString());
    }

    public static boolean deployed(String status) {
        return AcceleratorStatus.fromValue(status) == AcceleratorStatus.DEPLOYED;
    }

    /** An endpoint group's dial and the health of its endpoints. */
    public record Group(String arn, int dial, List<String> endpointHealth) {

        /** HEALTHY when one endpoint is; the accelerator routes to a group while one is. */
        public String health() {
            if (endpointHealth.isEmpty()) {
                return "NO_ENDPOINTS";
            }
            return endpointHealth.stream().filter(h -> HealthState.fromValue(h) == HealthState.HEALTHY).findFirst()
                    .orElse(endpointHealth.get(0));
        }
    }

    public Group group(String groupArn) throws StepFailure {
        EndpointGroup group = described(groupArn);
        Float dial = group.trafficDialPercentage();
        return new Group(groupArn, dial == null ? 100 : Math.round(dial),
                group.endpointDescriptions().stream().map(EndpointDescription::healthStateAsString).toList());
    }

    /** The endpoint group as Global Accelerator describes it: endpoints, dial and health check settings. */
    public EndpointGroup described(String groupArn) throws StepFailure {
        return call("DescribeEndpointGroup",
                () -> client.describeEndpointGroup(r -> r.endpointGroupArn(groupArn)).endpointGroup());
    }

    public void setDial(String groupArn, int dial) throws StepFailure {
        call("UpdateEndpointGroup", () -> client.updateEndpointGroup(r -> r.endpointGroupArn(groupArn)
                .trafficDialPercentage((float) dial)));
    }
}

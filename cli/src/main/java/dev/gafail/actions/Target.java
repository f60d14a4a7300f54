package dev.gafail.actions;

import dev.gafail.aws.Accelerator;
import dev.gafail.aws.AwsClients;
import dev.gafail.aws.EcsServices;
import dev.gafail.aws.Experiments;
import dev.gafail.aws.GlobalDatabase;
import dev.gafail.aws.Telemetry;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import dev.gafail.topology.Topology;
import java.time.Clock;
import java.time.Duration;

/**
 * What the AWS step types act on: the topology, the SDK clients, how often to poll while a change
 * takes effect (seconds at AWS, less against the lab), and the tokens of synthetic users (load.start).
 */
public record Target(Topology topology, AwsClients aws, Duration pollInterval, Clock clock, UserTokens tokens) {

    /** The same target over other clients (a status's shorter time limits). */
    public Target with(AwsClients clients) {
        return new Target(topology, clients, pollInterval, clock, tokens);
    }

    public Accelerator accelerator() {
        return new Accelerator(aws.globalAccelerator(), topology.acceleratorArn());
    }

    public GlobalDatabase database() {
        return new GlobalDatabase(aws, topology.globalDatabase());
    }

    public EcsServices ecs() {
        return new EcsServices(aws);
    }

    public Experiments experiments() {
        return new Experiments(aws);
    }

    public Telemetry telemetry() {
        return new Telemetry(aws, clock);
    }

    public Region region(String name) throws StepFailure {
        try {
            return topology.require(name);
        } catch (IllegalArgumentException e) {
            throw StepFailure.permanent(e.getMessage());
        }
    }
}

package dev.gafail.app;

import dev.gafail.aws.IamPolicy;
import dev.gafail.engine.Json;
import dev.gafail.lab.aws.OperatorPolicySource;
import dev.gafail.topology.TopologyLoader;
import dev.gafail.yaml.InvalidFileException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The lab's operator policy: {@code gafail iam-policy} of the bundled runbooks on the lab's topology, which
 * the lab's IAM simulates, so that {@code gafail check} there evaluates the policy gafail would deploy.
 */
public final class LabOperatorPolicy implements OperatorPolicySource {

    @Override
    public String policy(Path topologyFile) throws IOException {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(IamPolicy.document(
                    BundledRunbooks.iamActions(), new TopologyLoader().load(topologyFile)));
        } catch (InvalidFileException e) {
            throw new IOException("the lab's topology " + topologyFile + " is invalid: " + e.getMessage(), e);
        }
    }
}

package dev.gafail.lab.aws;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the lab's operator role gets its policy: the one {@code gafail iam-policy} generates for the bundled
 * runbooks on the lab's topology. gafail provides it (a {@link java.util.ServiceLoader} service), so that the
 * lab's IAM simulates the policy gafail would deploy, without the lab depending on gafail.
 */
public interface OperatorPolicySource {

    /** The policy document (JSON) for the topology in {@code topologyFile}. */
    String policy(Path topologyFile) throws IOException;
}

package dev.gafail.lab.aws.wire;

import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/** An AWS service as an endpoint answers it: each operation's output from its input, in any protocol. */
public interface AwsService {

    ServiceShape shape();

    /**
     * The output of {@code request.operation()}, shaped as the service's API reference names it (the
     * protocol layer writes it); throws {@link AwsFault} for an error reply.
     */
    ObjectNode answer(AwsRequest request);

    static AwsService of(ServiceShape shape, Function<AwsRequest, ObjectNode> answers) {
        return new AwsService() {
            @Override
            public ServiceShape shape() {
                return shape;
            }

            @Override
            public ObjectNode answer(AwsRequest request) {
                return answers.apply(request);
            }
        };
    }
}

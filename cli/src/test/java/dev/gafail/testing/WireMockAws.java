package dev.gafail.testing;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import dev.gafail.lab.aws.wire.WireReply;
import dev.gafail.lab.aws.wire.WireRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * WireMock's side of the lab's wire layer, for the tests' AWS stand-ins: a request WireMock received
 * as the {@link WireRequest} an {@code AwsEndpoint} reads, and its {@link WireReply} as WireMock's answer.
 */
final class WireMockAws {

    private WireMockAws() {
    }

    static WireRequest request(Request request) {
        Map<String, String> headers = new HashMap<>();
        request.getHeaders().all().forEach(h -> headers.put(h.key(), h.firstValue()));
        return new WireRequest(request.getMethod().getName(), request.getUrl(), headers, request.getBody());
    }

    static ResponseDefinition response(WireReply reply) {
        ResponseDefinitionBuilder answer = new ResponseDefinitionBuilder().withStatus(reply.status())
                .withHeader("x-amzn-RequestId", reply.requestId()).withBody(reply.body());
        // a reply without a body names no content type
        if (!reply.contentType().isEmpty()) {
            answer.withHeader("Content-Type", reply.contentType());
        }
        reply.headers().forEach(answer::withHeader);
        return answer.build();
    }
}

package dev.gafail.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.gafail.lab.aws.wire.AwsEndpoint;
import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * AWS services on 127.0.0.1 as a test describes them: WireMock receives what the real SDK clients send, the
 * lab's wire layer ({@link AwsEndpoint}) reads each call in its protocol and writes each reply, and the
 * test's {@link AwsService}s answer. Every call that was read is kept, in order.
 */
public final class AwsStub implements AutoCloseable {

    private final WireMockServer server;
    private final AwsEndpoint endpoint;
    private final List<AwsRequest> calls = new CopyOnWriteArrayList<>();

    public AwsStub(List<AwsService> services) {
        endpoint = new AwsEndpoint(services).inspecting(calls::add);
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(new Answer()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(ok()));
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The calls of {@code operation}, in order. */
    public List<AwsRequest> calls(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).toList();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Answer implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "aws-stub";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            return WireMockAws.response(endpoint.handle(WireMockAws.request(event.getRequest())));
        }
    }
}

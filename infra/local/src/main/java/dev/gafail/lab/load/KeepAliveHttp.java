package dev.gafail.lab.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive client's persistent HTTP/1.1 connection: the JDK's client, one for each keep-alive
 * client, so that its pool (one connection, as the client sends one request at a time) is the
 * client's own. It reuses the connection while the server keeps it, and opens a new one after the
 * server closed it ({@code Connection: close}, as an ALB past its client keepalive duration): only
 * then do the accelerator's dials route it again.
 */
final class KeepAliveHttp implements Transport {

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    KeepAliveHttp(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public HttpOnce.Response send(String method, String path, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> byName = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> byName.put(name.toLowerCase(Locale.ROOT),
                String.join(", ", values)));
        return new HttpOnce.Response(response.statusCode(), byName, response.body());
    }
}

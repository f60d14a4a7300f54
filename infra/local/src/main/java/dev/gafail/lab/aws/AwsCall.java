package dev.gafail.lab.aws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One AWS API request as the SDK sends it: AWS JSON 1.1 (an {@code X-Amz-Target} header, a JSON
 * body) or AWS Query (a form body with {@code Action}); the signing region and service come from the
 * SigV4 credential scope. Signatures are not checked, as LocalStack does not check them.
 */
record AwsCall(String service, String region, String operation, boolean json, JsonNode body,
               Map<String, String> params) {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/([^/]+)/aws4_request");

    static AwsCall parse(String authorization, String target, String body) {
        Matcher scope = SCOPE.matcher(authorization == null ? "" : authorization);
        String region = scope.find() ? scope.group(1) : "";
        String service = scope.groupCount() >= 2 && !region.isEmpty() ? scope.group(2) : "";
        if (target != null) {
            JsonNode json = body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            return new AwsCall(service, region, target.substring(target.indexOf('.') + 1), true, json, Map.of());
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return new AwsCall(service, region, params.getOrDefault("Action", ""), false, null, params);
    }

    /** A JSON field, or a Query parameter, as text ("" when absent). */
    String text(String name) {
        return json ? body.path(name).asString("") : params.getOrDefault(name, "");
    }
}

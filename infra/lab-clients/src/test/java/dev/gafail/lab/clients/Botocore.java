package dev.gafail.lab.clients;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The botocore clients (an AWS CLI, boto3), each making the same {@link BotocoreRead}s and stating their facts. */
final class Botocore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** How the AWS CLI names a service's error on stderr. */
    private static final Pattern ERROR = Pattern.compile("An error occurred \\((\\w+)\\)");

    private Botocore() {
    }

    /** An AWS CLI, one process a read: {@code aws <service> <operation> --cli-input-json <input>}. */
    static Facts viaCli(Path aws, List<BotocoreRead> reads, Path dir) throws IOException, InterruptedException {
        Map<String, String> facts = new HashMap<>();
        for (BotocoreRead read : reads) {
            Child.Result result = Child.run(List.of(aws.toString(), "--endpoint-url", read.endpoint(), "--region",
                    read.awsRegion(), "--output", "json", read.service(),
                    read.operation().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(), "--cli-input-json",
                    read.input().toString()), dir, "");
            JsonNode out;
            if (result.code() == 0) {
                out = JSON.readTree(result.out());
            } else {
                Matcher error = ERROR.matcher(result.err());
                if (!error.find()) {
                    throw new AssertionError(aws + " " + read.service() + " " + read.operation() + ": " + result);
                }
                out = JsonNodeFactory.instance.objectNode().set("Error",
                        JsonNodeFactory.instance.objectNode().put("Code", error.group(1)));
            }
            facts.putAll(read.facts().apply(out));
        }
        return new Facts(facts);
    }

    /**
     * boto3, one {@code python3} process for every read: the test's script reads them on its standard
     * input and prints each output (or error code), in order, as one JSON array.
     */
    static Facts viaBoto3(Path script, List<BotocoreRead> reads, Path dir) throws IOException, InterruptedException {
        ArrayNode input = JsonNodeFactory.instance.arrayNode();
        for (BotocoreRead read : reads) {
            ObjectNode call = input.addObject().put("service", read.service()).put("operation", read.operation())
                    .put("region", read.awsRegion()).put("endpoint", read.endpoint());
            call.set("input", read.input());
        }
        Child.Result result = Child.run(List.of("python3", script.toString()), dir, input.toString());
        if (result.code() != 0) {
            throw new AssertionError("python3 " + script + ": " + result);
        }
        JsonNode outputs = JSON.readTree(result.out());
        Map<String, String> facts = new HashMap<>();
        for (int i = 0; i < reads.size(); i++) {
            facts.putAll(reads.get(i).facts().apply(outputs.path(i)));
        }
        return new Facts(facts);
    }
}

package dev.gafail.lab.clients;

import dev.gafail.lab.Lab;
import dev.gafail.lab.aws.LabResources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * gafail's own {@code status}, run from its jar as an operator runs it, on the lab's topology file: its
 * typed cells (gafail schema status) as facts: the writer, the dials, ECS running/desired and rollout, the
 * topology's alarm.
 */
final class GafailStatus {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private GafailStatus() {
    }

    static Facts read(Path jar, Lab lab, Path dir) throws IOException, InterruptedException {
        Child.Result result = Child.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--topology", lab.topologyFile().toString(), "status", "--output", "json"),
                dir, "");
        if (result.code() != 0) {
            throw new AssertionError("gafail status: " + result);
        }
        Map<String, String> facts = new HashMap<>();
        for (Map.Entry<String, JsonNode> row : JSON.readTree(result.out()).path("regions").properties()) {
            String region = row.getKey();
            JsonNode cells = row.getValue();
            if (cells.at("/database/role").asString().equals("writer")) {
                facts.put(Facts.WRITER, region);
            }
            facts.put(Facts.dial(region), String.valueOf(cells.at("/dial/percent").asInt()));
            JsonNode ecs = cells.path("ecs");
            facts.put(Facts.ecs(region), ecs.path("running").asInt() + "/" + ecs.path("desired").asInt() + " "
                    + ecs.path("rollout").asString());
            // the lab has the one alarm the topology names: its state in the region
            facts.put(Facts.alarm(LabResources.AWS_REGIONS.get(region)), cells.at("/alarms/alarms/0/state").asString());
        }
        return new Facts(facts);
    }
}

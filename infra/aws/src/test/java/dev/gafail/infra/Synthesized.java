package dev.gafail.infra;

import dev.gafail.topology.TopologyImport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awscdk.assertions.Template;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stacks of the shipped configuration, synthesized once for all the test classes of this module
 * (synthesis starts the CDK's JavaScript core, which takes seconds), with what reading their templates
 * needs.
 */
final class Synthesized {

    static final GafailInfra.Stacks STACKS = GafailInfra.build(InfraConfig.defaults(), "target/synthesized");
    static final Template PRIMARY = Template.fromStack(STACKS.primary());
    static final Template SECONDARY = Template.fromStack(STACKS.secondary());
    static final Template GLOBAL = Template.fromStack(STACKS.global());
    static final Template STATE = Template.fromStack(STACKS.state());
    static final Template PEERING = Template.fromStack(STACKS.peering().orElseThrow());

    /** The stand-in of region-a's database secret: its name and the random suffix that AWS appends. */
    static final String DATABASE_SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:gafail/database-AbCdEf";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Synthesized() {
    }

    /** The properties of every resource of {@code type}. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> properties(Template template, String type) {
        List<Map<String, Object>> out = new ArrayList<>();
        template.findResources(type).values().forEach(r -> out.add((Map<String, Object>) ((Map<String, Object>) r)
                .getOrDefault("Properties", Map.of())));
        return out;
    }

    /**
     * What {@code cdk deploy --outputs-file} would write for these stacks: literal outputs as they
     * are, those built from the database secret with its stand-in, those AWS fills in at deploy time
     * (ARNs, DNS names, ids) as stand-ins of the right shape.
     */
    @SuppressWarnings("unchecked")
    static ObjectNode deployedOutputs() {
        ObjectNode file = JSON.createObjectNode();
        Map<String, Template> templates = Map.of("gafail-region-a", PRIMARY, "gafail-region-b", SECONDARY,
                "gafail-global", GLOBAL, "gafail-state", STATE, "gafail-peering", PEERING);
        String accelerator = "arn:aws:globalaccelerator::111122223333:accelerator/abcd1234-ab12-cd34-ef56-abcdef123456";
        templates.forEach((name, template) -> {
            ObjectNode outputs = file.putObject(name);
            ((Map<String, Object>) template.toJSON()).entrySet().stream().filter(e -> e.getKey().equals("Outputs"))
                    .flatMap(e -> ((Map<String, Object>) e.getValue()).entrySet().stream())
                    .forEach(output -> {
                        Object value = ((Map<String, Object>) output.getValue()).get("Value");
                        String key = output.getKey();
                        outputs.put(key, deployed(value).orElseGet(() -> switch (key) {
                            case TopologyImport.ACCELERATOR_ARN -> accelerator;
                            case TopologyImport.ACCELERATOR_DNS -> "a1b2c3d4.awsglobalaccelerator.com";
                            case TopologyImport.HEALTHZ -> "http://" + name + "-123.elb.amazonaws.com/healthz";
                            case "OperatorRoleArn" -> "arn:aws:iam::111122223333:role/gafail-gafail-operator";
                            default -> key.startsWith("EndpointGroupArn") ? accelerator + "/listener/l1/endpoint-group/"
                                    + key.toLowerCase() : key.startsWith(TopologyImport.EXPERIMENT)
                                    ? experimentId(name, key) : "deployed " + key;
                        }));
                    });
        });
        return file;
    }

    /** The stand-in id of the experiment template that output {@code key} of {@code stack} names. */
    static String experimentId(String stack, String key) {
        return "EXT" + (stack + key).replaceAll("[^A-Za-z0-9]", "");
    }

    /** A template value that needs no deployment to know: text, the partition, a join of those. */
    static Optional<String> literal(Object value) {
        return resolve(value, reference -> Optional.empty());
    }

    /**
     * A template value once deployed, where it is known here: a literal, or one built from region-a's database
     * secret (in its own stack, or imported from it across regions), which stands for {@link #DATABASE_SECRET}.
     */
    static Optional<String> deployed(Object value) {
        return resolve(value, reference -> reference.toString().contains("DatabaseSecret")
                ? Optional.of(DATABASE_SECRET) : Optional.empty());
    }

    /** Text, the partition, a join, one part of a split, or what {@code references} knows of a Ref or GetAtt. */
    private static Optional<String> resolve(Object value, Function<Map<?, ?>, Optional<String>> references) {
        if (value instanceof String text) {
            return Optional.of(text);
        }
        if (!(value instanceof Map<?, ?> map)) {
            return Optional.empty();
        }
        if ("AWS::Partition".equals(map.get("Ref"))) {
            return Optional.of("aws");
        }
        if (map.get("Fn::Join") instanceof List<?> join) {
            StringBuilder out = new StringBuilder();
            for (Object part : (List<?>) join.get(1)) {
                Optional<String> text = resolve(part, references);
                if (text.isEmpty()) {
                    return Optional.empty();
                }
                out.append(text.get());
            }
            return Optional.of(out.toString());
        }
        if (map.get("Fn::Select") instanceof List<?> select && select.get(1) instanceof Map<?, ?> list
                && list.get("Fn::Split") instanceof List<?> split) {
            return resolve(split.get(1), references).map(text -> text.split(Pattern.quote((String) split.get(0)))
                    [((Number) select.get(0)).intValue()]);
        }
        return map.containsKey("Ref") || map.containsKey("Fn::GetAtt") ? references.apply(map) : Optional.empty();
    }
}

package dev.gafail.infra;

import dev.gafail.topology.TopologyImport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
     * are, those AWS fills in at deploy time (ARNs, DNS names, ids) as stand-ins of the right shape.
     */
    @SuppressWarnings("unchecked")
    static ObjectNode deployedOutputs() {
        ObjectNode file = JSON.createObjectNode();
        Map<String, Template> templates = Map.of("gafail-region-a", PRIMARY, "gafail-region-b", SECONDARY,
                "gafail-global", GLOBAL, "gafail-state", STATE);
        String accelerator = "arn:aws:globalaccelerator::111122223333:accelerator/abcd1234-ab12-cd34-ef56-abcdef123456";
        templates.forEach((name, template) -> {
            ObjectNode outputs = file.putObject(name);
            ((Map<String, Object>) template.toJSON()).entrySet().stream().filter(e -> e.getKey().equals("Outputs"))
                    .flatMap(e -> ((Map<String, Object>) e.getValue()).entrySet().stream())
                    .forEach(output -> {
                        Object value = ((Map<String, Object>) output.getValue()).get("Value");
                        String key = output.getKey();
                        outputs.put(key, literal(value).orElseGet(() -> switch (key) {
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
        if (value instanceof String text) {
            return Optional.of(text);
        }
        if (value instanceof Map<?, ?> map && "AWS::Partition".equals(map.get("Ref"))) {
            return Optional.of("aws");
        }
        if (value instanceof Map<?, ?> map && map.get("Fn::Join") instanceof List<?> join) {
            StringBuilder out = new StringBuilder();
            for (Object part : (List<?>) join.get(1)) {
                Optional<String> text = literal(part);
                if (text.isEmpty()) {
                    return Optional.empty();
                }
                out.append(text.get());
            }
            return Optional.of(out.toString());
        }
        return Optional.empty();
    }
}

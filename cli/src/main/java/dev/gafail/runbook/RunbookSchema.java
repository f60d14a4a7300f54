package dev.gafail.runbook;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.gafail.yaml.Durations;
import dev.gafail.yaml.JsonSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The runbook JSON Schema: a fixed base plus, per registered step type, the schema of its
 * {@code with}. The file editors use, {@code runbooks/schema/runbook.schema.json}, is this
 * document as {@code gafail schema} prints it, and a test keeps the two equal.
 */
public final class RunbookSchema {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final ObjectNode document;
    private final Schema schema;

    public RunbookSchema(ActionCatalog actions) {
        this.document = compose(actions);
        this.schema = JsonSchemas.of(document);
    }

    /** The schema's node at {@code pointer} (a copy), e.g. to read the description next to a failed keyword. */
    public JsonNode at(String pointer) {
        return document.at(pointer).deepCopy();
    }

    public String text() {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n";
    }

    public List<Error> validate(JsonNode runbook) {
        return schema.validate(runbook);
    }

    private static ObjectNode compose(ActionCatalog actions) {
        ObjectNode base;
        try (InputStream in = RunbookSchema.class.getResourceAsStream("runbook.base.schema.json")) {
            base = (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the runbook schema is missing from the gafail jar", e);
        }
        ObjectNode defs = (ObjectNode) base.get("$defs");
        ObjectNode duration = (ObjectNode) defs.get("duration");
        duration.put("pattern", Durations.PATTERN);
        duration.put("format", JsonSchemas.DURATION_FORMAT);
        duration.put("description", "a duration, " + Durations.EXAMPLES);

        ObjectNode step = (ObjectNode) defs.get("step");
        ArrayNode names = ((ObjectNode) step.get("properties").get("action")).putArray("enum");
        ArrayNode rules = step.putArray("allOf");
        for (String name : actions.actionNames()) {
            names.add(name);
            String ref = "#/$defs/with." + name;
            ObjectNode rule = rules.addObject();
            rule.putObject("if").put("type", "object").putArray("required").add("action");
            ((ObjectNode) rule.get("if")).putObject("properties").putObject("action").put("const", name);
            JsonNode parameters = actions.parameterSchema(name).orElseThrow();
            defs.set("with." + name, parameters);
            ObjectNode then = rule.putObject("then");
            if (!parameters.path("required").isEmpty()) {
                then.putArray("required").add("with");
            }
            then.putObject("properties").putObject("with").put("$ref", ref);
        }
        return base;
    }
}

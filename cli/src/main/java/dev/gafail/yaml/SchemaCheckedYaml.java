package dev.gafail.yaml;

import com.networknt.schema.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A kind of YAML file with a fixed JSON Schema (the topology, the infra configuration): read with
 * positions, and every YAML and schema problem reported at once, in the file's order.
 */
public final class SchemaCheckedYaml {

    private final YamlTreeReader reader = new YamlTreeReader();
    private final JsonNode document;
    private final Schema schema;
    private final String shape;

    /**
     * @param resource the schema, a resource next to {@code owner}
     * @param shape    what the file should be, said when it is empty or not a mapping
     */
    public SchemaCheckedYaml(Class<?> owner, String resource, String shape) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource);
            }
            document = JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the schema " + resource + " is missing from the jar", e);
        }
        schema = JsonSchemas.of(document);
        this.shape = shape;
    }

    /** The file's tree, once it is a mapping that the schema accepts; otherwise every problem in it. */
    public PositionedTree read(String file, byte[] bytes) throws InvalidFileException {
        PositionedTree tree = YamlDocuments.mapping(reader, file, bytes, shape);
        List<Problem> problems = new SchemaProblems(tree, p -> document.at(p).deepCopy(), Set.of())
                .toProblems(schema.validate(tree.root()));
        if (!problems.isEmpty()) {
            throw YamlDocuments.sorted(problems);
        }
        return tree;
    }
}

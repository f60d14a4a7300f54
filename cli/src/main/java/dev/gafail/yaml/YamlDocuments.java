package dev.gafail.yaml;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What every gafail YAML file (runbook, topology) has in common: reading it, and reporting its problems in order. */
public final class YamlDocuments {

    private YamlDocuments() {
    }

    /**
     * The document in {@code bytes} as a positioned tree whose root is a mapping.
     *
     * @param shape what the file should be, said when it is empty or not a mapping
     */
    public static PositionedTree mapping(YamlTreeReader reader, String file, byte[] bytes, String shape)
            throws InvalidFileException {
        List<Problem> problems = new ArrayList<>();
        PositionedTree tree = reader.read(file, bytes, problems);
        if (tree == null || !problems.isEmpty()) {
            if (tree == null && problems.isEmpty()) {
                problems.add(new Problem(SourcePosition.start(file), "file is empty; " + shape, ""));
            }
            throw sorted(problems);
        }
        if (!tree.root().isObject()) {
            throw new InvalidFileException(List.of(tree.problem("", shape + "; found "
                    + SchemaProblems.show(tree.root()))));
        }
        return tree;
    }

    /** Every problem once, in the order of the file. */
    public static InvalidFileException sorted(List<Problem> problems) {
        List<Problem> ordered = new ArrayList<>(problems.stream().distinct().toList());
        ordered.sort(Comparator.comparingInt((Problem p) -> p.position().line())
                .thenComparingInt(p -> p.position().column()));
        return new InvalidFileException(ordered);
    }
}

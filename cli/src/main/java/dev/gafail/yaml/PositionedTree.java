package dev.gafail.yaml;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A parsed YAML document as a JSON tree, with where each value (and each mapping key) came from,
 * so that any later check can point the user at a line and column.
 */
public record PositionedTree(String file, String text, JsonNode root, Map<String, SourcePosition> values,
                             Map<String, SourcePosition> keys) {

    /** The position of the value at {@code pointer}, or of its nearest ancestor that has one. */
    public SourcePosition valueAt(String pointer) {
        for (String p = pointer; ; p = parent(p)) {
            SourcePosition found = values.get(p);
            if (found != null) {
                return found;
            }
            if (p.isEmpty()) {
                return SourcePosition.start(file);
            }
        }
    }

    /** The position of the key that names {@code pointer}, falling back to its value. */
    public SourcePosition keyAt(String pointer) {
        SourcePosition key = keys.get(pointer);
        return key != null ? key : valueAt(pointer);
    }

    public Problem problem(String pointer, String message) {
        return new Problem(valueAt(pointer), message, pointer);
    }

    /**
     * The position of character {@code offset} inside the single-line string scalar at {@code pointer}
     * (past its opening quote, if any); the scalar's own position when it spans lines.
     */
    public SourcePosition insideScalar(String pointer, int offset) {
        SourcePosition start = valueAt(pointer);
        JsonNode node = root.at(pointer);
        if (!node.isString() || node.asString().contains("\n")) {
            return start;
        }
        String[] lines = text.split("\n", -1);
        String line = start.line() <= lines.length ? lines[start.line() - 1] : "";
        char first = start.column() <= line.length() ? line.charAt(start.column() - 1) : ' ';
        int quote = first == '"' || first == '\'' ? 1 : 0;
        return new SourcePosition(file, start.line(), start.column() + quote + offset);
    }

    public static String parent(String pointer) {
        int slash = pointer.lastIndexOf('/');
        return slash <= 0 ? "" : pointer.substring(0, slash);
    }

    public static String child(String pointer, String name) {
        return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    public static String child(String pointer, int index) {
        return pointer + "/" + index;
    }
}

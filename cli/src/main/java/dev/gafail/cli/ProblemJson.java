package dev.gafail.cli;

import dev.gafail.yaml.Problem;
import java.util.LinkedHashMap;
import java.util.Map;

/** A problem of a user's file as JSON prints it: file, line, column, message, pointer. */
final class ProblemJson {

    private ProblemJson() {
    }

    static Map<String, Object> of(Problem p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", p.position().file());
        out.put("line", p.position().line());
        out.put("column", p.position().column());
        out.put("message", p.message());
        out.put("pointer", p.pointer());
        return out;
    }
}

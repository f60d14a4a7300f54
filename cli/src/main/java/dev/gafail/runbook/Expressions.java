package dev.gafail.runbook;

import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.JexlInfo;
import org.apache.commons.jexl3.JexlScript;
import org.apache.commons.jexl3.MapContext;
import org.apache.commons.jexl3.introspection.JexlPermissions;

/**
 * The {@code ${{ ... }}} expressions of runbooks, evaluated by Apache Commons JEXL restricted to
 * side-effect-free expressions: no assignments, loops, lambdas, method calls or class access.
 * A value that is exactly one expression keeps the expression's type; any other string with
 * expressions in it is text with each expression's value spliced in.
 */
public final class Expressions {

    public static final String OPEN = "${{";
    public static final String CLOSE = "}}";

    private static final JexlFeatures FEATURES = new JexlFeatures()
            .sideEffect(false).sideEffectGlobal(false).loops(false).lambda(false)
            .newInstance(false).methodCall(false).localVar(false).script(false)
            .pragma(false).annotation(false).register(false).importPragma(false)
            .namespacePragma(false).structuredLiteral(true).arrayReferenceExpr(true);

    private final JexlEngine jexl = new JexlBuilder()
            .features(FEATURES)
            .permissions(JexlPermissions.RESTRICTED)
            .strict(true).safe(false).silent(false)
            .create();
    private final Map<String, Template> cache = new ConcurrentHashMap<>();

    /** A string split into literal text and expressions. */
    public record Template(String raw, List<Part> parts) {
        public boolean isSingleExpression() {
            return parts.size() == 1 && parts.get(0).expression() != null;
        }
    }

    /** Literal text, or an expression whose source starts at {@code offset} in the raw string. */
    public record Part(String literal, JexlScript expression, int offset) {
    }

    /** An expression the language cannot accept; {@code offset} is where in the raw string. */
    public static final class ExpressionException extends Exception {
        private final int offset;

        public ExpressionException(String message, int offset) {
            super(message);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    public static boolean mayContainExpression(String raw) {
        return raw.contains(OPEN);
    }

    public Template parse(String raw) throws ExpressionException {
        Template cached = cache.get(raw);
        if (cached != null) {
            return cached;
        }
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < raw.length()) {
            int open = raw.indexOf(OPEN, at);
            if (open < 0) {
                parts.add(new Part(raw.substring(at), null, at));
                break;
            }
            if (open > at) {
                parts.add(new Part(raw.substring(at, open), null, at));
            }
            int close = raw.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                throw new ExpressionException("unterminated expression: '" + OPEN + "' without '" + CLOSE + "'", open);
            }
            String source = raw.substring(open + OPEN.length(), close);
            if (source.isBlank()) {
                throw new ExpressionException("empty expression", open);
            }
            parts.add(new Part(null, compile(source, open + OPEN.length()), open + OPEN.length()));
            at = close + CLOSE.length();
        }
        // The whole value "${{ x }}" (surrounding blanks aside) keeps x's type.
        List<Part> typed = parts.stream()
                .filter(p -> p.expression() != null || !p.literal().isBlank()).toList();
        Template template = new Template(raw, typed.size() == 1 && typed.get(0).expression() != null ? typed : parts);
        cache.put(raw, template);
        return template;
    }

    private JexlScript compile(String source, int offset) throws ExpressionException {
        try {
            return jexl.createScript(FEATURES, new JexlInfo("expression", 1, 1), source);
        } catch (JexlException e) {
            JexlInfo info = e.getInfo();
            int column = info == null ? 1 : Math.max(1, info.getColumn());
            throw new ExpressionException("malformed expression '" + source.trim() + "': " + describe(e),
                    offset + column - 1);
        }
    }

    /** The variable paths an expression reads, e.g. {@code [params, count]}. */
    public static Set<List<String>> references(Part part) {
        return part.expression().getVariables();
    }

    /** Evaluates a template against {@code variables} (params, steps, topology). */
    public Object evaluate(Template template, Map<String, Object> variables) throws ExpressionException {
        MapContext context = new MapContext(variables);
        if (template.isSingleExpression()) {
            return run(template.parts().get(0), context);
        }
        StringBuilder text = new StringBuilder();
        for (Part part : template.parts()) {
            if (part.expression() == null) {
                text.append(part.literal());
            } else {
                Object value = run(part, context);
                text.append(value instanceof Duration d ? Durations.format(d) : String.valueOf(value));
            }
        }
        return text.toString();
    }

    private static Object run(Part part, MapContext context) throws ExpressionException {
        try {
            return part.expression().execute(context);
        } catch (JexlException e) {
            throw new ExpressionException("cannot evaluate '" + part.expression().getSourceText().trim()
                    + "': " + describe(e), part.offset());
        } catch (RuntimeException e) {
            throw new ExpressionException("cannot evaluate '" + part.expression().getSourceText().trim()
                    + "': " + e.getMessage(), part.offset());
        }
    }

    /** JEXL's message without its "class@line:column" prefix. */
    private static String describe(JexlException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int space = message.indexOf(' ');
        String detail = message.startsWith("expression@") || message.contains("@1:") && space > 0
                ? message.substring(space + 1) : message;
        return detail.replaceAll("\\s+", " ").trim();
    }
}

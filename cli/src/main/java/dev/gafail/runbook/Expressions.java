package dev.gafail.runbook;

import dev.gafail.yaml.Durations;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
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
 *
 * <p>JEXL parses and evaluates by recursion, so a deep enough expression overflows the stack. Every
 * expression is measured first ({@link #MAX_LENGTH}, {@link #MAX_NESTING}) and refused with its
 * position before JEXL sees it; a stack overflow that happens anyway becomes an expression error.
 */
public final class Expressions {

    public static final String OPEN = "${{";
    public static final String CLOSE = "}}";
    /**
     * Far beyond any useful condition. With {@link #MAX_NESTING}, the deepest expressions within the
     * bounds were measured to parse and evaluate in 384 KiB of stack (interpreted or compiled); a thread has 1 MiB.
     */
    public static final int MAX_LENGTH = 1000;
    /** Brackets plus unary operators in a row ({@code !!!x}), each a level of JEXL's recursion. */
    public static final int MAX_NESTING = 32;

    private static final JexlFeatures FEATURES = new JexlFeatures()
            .sideEffect(false).sideEffectGlobal(false).loops(false).lambda(false)
            .newInstance(false).methodCall(false).localVar(false).script(false)
            .pragma(false).annotation(false).register(false).importPragma(false)
            .namespacePragma(false).structuredLiteral(true).arrayReferenceExpr(true);

    private final JexlEngine jexl = new JexlBuilder()
            .features(FEATURES)
            .permissions(new DataOnly())
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
        measure(source, offset);
        try {
            return jexl.createScript(FEATURES, new JexlInfo("expression", 1, 1), source);
        } catch (StackOverflowError | JexlException.StackOverflow e) {
            throw new ExpressionException("expression '" + abbreviated(source) + "' is nested too deeply", offset);
        } catch (JexlException e) {
            JexlInfo info = e.getInfo();
            int column = info == null ? 1 : Math.max(1, info.getColumn());
            throw new ExpressionException("malformed expression '" + abbreviated(source) + "': " + describe(e),
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
        String source = abbreviated(part.expression().getSourceText());
        try {
            return part.expression().execute(context);
        } catch (StackOverflowError | JexlException.StackOverflow e) {
            // JEXL turns some overflows into its own exception; either way the stack was too small.
            throw new ExpressionException("cannot evaluate '" + source + "': nested too deeply", part.offset());
        } catch (JexlException e) {
            throw new ExpressionException("cannot evaluate '" + source + "': " + describe(e), part.offset());
        } catch (RuntimeException e) {
            throw new ExpressionException("cannot evaluate '" + source + "': " + e.getMessage(), part.offset());
        }
    }

    /**
     * Refuses an expression too long or too deep for JEXL's recursive parser and evaluator: a linear
     * scan outside string literals, counting open brackets and unary operators in a row.
     */
    private static void measure(String source, int offset) throws ExpressionException {
        if (source.length() > MAX_LENGTH) {
            throw new ExpressionException("expression is " + source.length() + " characters long; the limit is "
                    + MAX_LENGTH, offset);
        }
        int brackets = 0;
        int unary = 0;
        char quote = 0;
        for (int i = 0; i < source.length(); i++) {
            int at = i;
            char c = source.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                unary = 0;
            } else if (c == '(' || c == '[' || c == '{') {
                brackets++;
            } else if (c == ')' || c == ']' || c == '}') {
                brackets--;
                unary = 0;
            } else if ((c == '!' || c == '-' || c == '~' || c == '+') && !next(source, i, '=')) {
                unary++;
            } else if (source.startsWith("not", i) && !Character.isJavaIdentifierPart(next(source, i + 2))) {
                unary++;
                i += 2;
            } else if (!Character.isWhitespace(c)) {
                unary = 0;
                while (i + 1 < source.length() && Character.isJavaIdentifierPart(source.charAt(i + 1))) {
                    i++; // the rest of a name or number
                }
            }
            if (brackets + unary > MAX_NESTING) {
                throw new ExpressionException("expression is nested more than " + MAX_NESTING
                        + " levels deep (brackets and unary operators)", offset + at);
            }
        }
    }

    private static boolean next(String source, int i, char wanted) {
        return next(source, i) == wanted;
    }

    private static char next(String source, int i) {
        return i + 1 < source.length() ? source.charAt(i + 1) : ' ';
    }

    /** An expression as messages quote it: trimmed, and shortened when long. */
    private static String abbreviated(String source) {
        String trimmed = source.trim();
        return trimmed.length() > 80 ? trimmed.substring(0, 77) + "..." : trimmed;
    }

    /**
     * What expressions may reach through JEXL's introspection: the entries of maps and lists (params,
     * step outputs, the topology) and arrays, read with {@code get}. Nothing else, so that
     * {@code params.to.class}, {@code .bytes} or {@code .hashCode} find no Java member.
     */
    private static final class DataOnly implements JexlPermissions {

        /** Classes decide, whatever their package. */
        @Override
        public boolean allow(Package pack) {
            return true;
        }

        @Override
        public boolean allow(Class<?> type) {
            return Map.class.isAssignableFrom(type) || List.class.isAssignableFrom(type) || type.isArray();
        }

        @Override
        public boolean allow(Constructor<?> constructor) {
            return false;
        }

        @Override
        public boolean allow(Field field) {
            return false;
        }

        @Override
        public boolean allow(Method method) {
            return method.getName().equals("get") && method.getParameterCount() == 1;
        }

        @Override
        public JexlPermissions compose(String... rules) {
            throw new UnsupportedOperationException("expression permissions are fixed");
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

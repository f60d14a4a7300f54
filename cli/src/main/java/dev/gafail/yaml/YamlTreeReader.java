package dev.gafail.yaml;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one YAML document into a JSON tree with source positions, from SnakeYAML Engine's event
 * stream rather than its composer: the walk is iterative (no stack overflow on deep input), keeps
 * going after a duplicate key so every one is reported, and counts nodes as aliases expand, which
 * defuses alias bombs. Scalars resolve by the YAML 1.2 core schema ({@code on}/{@code no} stay strings).
 */
public final class YamlTreeReader {

    /** Bounds that keep a hostile or mistaken file from exhausting memory or time. */
    public record Limits(int maxBytes, int maxDepth, int maxNodes) {
        public static final Limits DEFAULT = new Limits(1 << 20, 64, 100_000);
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ScalarResolver RESOLVER = new CoreScalarResolver(false);

    private final Limits limits;

    public YamlTreeReader(Limits limits) {
        this.limits = limits;
    }

    public YamlTreeReader() {
        this(Limits.DEFAULT);
    }

    /** Parses {@code bytes}; problems are added to {@code problems}, and the tree is null when unusable. */
    public PositionedTree read(String file, byte[] bytes, List<Problem> problems) {
        if (bytes.length > limits.maxBytes()) {
            problems.add(new Problem(SourcePosition.start(file),
                    "file is " + bytes.length + " bytes; the limit is " + limits.maxBytes(), ""));
            return null;
        }
        String text = decodeUtf8(file, bytes, problems);
        if (text == null) {
            return null;
        }
        return new Walk(file, text, problems).run();
    }

    private static String decodeUtf8(String file, byte[] bytes, List<Problem> problems) {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        try {
            return decoder.decode(in).toString();
        } catch (MalformedInputException e) {
            // The decoder stops where the bad byte is; report that spot in the text decoded so far.
            int bad = in.position();
            String before = new String(bytes, start, Math.max(0, bad - start), StandardCharsets.UTF_8);
            problems.add(new Problem(positionOf(file, before, before.length()),
                    "invalid UTF-8 byte 0x" + Integer.toHexString(bytes[bad] & 0xff)
                            + "; runbooks must be UTF-8 text", ""));
            return null;
        } catch (CharacterCodingException e) {
            problems.add(new Problem(SourcePosition.start(file), "file is not UTF-8 text", ""));
            return null;
        }
    }

    static SourcePosition positionOf(String file, String text, int charIndex) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(charIndex, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new SourcePosition(file, line, column);
    }

    /** One pass over the events of one file. */
    private final class Walk {
        private final String file;
        private final String text;
        private final List<Problem> problems;
        private final ParserImpl parser;
        private final Map<String, SourcePosition> values = new HashMap<>();
        private final Map<String, SourcePosition> keys = new HashMap<>();
        private final Map<String, JsonNode> anchors = new HashMap<>();
        private final Deque<Frame> stack = new ArrayDeque<>();
        private int nodes;
        private JsonNode root;

        Walk(String file, String text, List<Problem> problems) {
            this.file = file;
            this.text = text;
            this.problems = problems;
            LoadSettings settings = LoadSettings.builder().setLabel(file)
                    .setCodePointLimit(limits.maxBytes()).build();
            this.parser = new ParserImpl(settings, new StreamReader(settings, text));
        }

        PositionedTree run() {
            try {
                int documents = 0;
                while (parser.hasNext()) {
                    Event event = parser.next();
                    switch (event.getEventId()) {
                        case DocumentStart -> {
                            if (++documents > 1) {
                                problems.add(new Problem(at(event.getStartMark()),
                                        "a runbook file holds one YAML document; found a second", ""));
                                return null;
                            }
                        }
                        case Scalar, SequenceStart, MappingStart, Alias -> {
                            if (!node((NodeEvent) event)) {
                                return null;
                            }
                        }
                        case SequenceEnd, MappingEnd -> close();
                        default -> { }
                    }
                }
            } catch (MarkedYamlEngineException e) {
                problems.add(new Problem(at(e.getProblemMark().or(e::getContextMark)), syntax(e), ""));
                return null;
            } catch (ReaderException e) {
                problems.add(new Problem(positionOf(file, text, text.offsetByCodePoints(0, e.getPosition())),
                        "character U+" + String.format("%04X", e.getCodePoint()) + " is not allowed in YAML", ""));
                return null;
            } catch (YamlEngineException e) {
                problems.add(new Problem(SourcePosition.start(file), "YAML error: " + e.getMessage(), ""));
                return null;
            }
            return root == null ? null : new PositionedTree(file, text, root, Map.copyOf(values), Map.copyOf(keys));
        }

        /** Handles one node event; false stops the walk (a limit was hit). */
        private boolean node(NodeEvent event) {
            Frame parent = stack.peek();
            if (parent != null && parent.expectsKey()) {
                return key(parent, event);
            }
            String pointer = parent == null ? "" : parent.childPointer();
            SourcePosition position = at(event.getStartMark());
            JsonNode value;
            if (event instanceof AliasEvent alias) {
                JsonNode target = anchors.get(alias.getAlias().getValue());
                if (target == null) {
                    problems.add(new Problem(position, "alias *" + alias.getAlias().getValue()
                            + " refers to no complete anchor", pointer));
                    value = NODES.nullNode();
                } else {
                    nodes += count(target);
                    value = target.deepCopy();
                }
            } else if (event instanceof ScalarEvent scalar) {
                nodes++;
                value = scalar(scalar, position, pointer);
            } else {
                nodes++;
                if (stack.size() >= limits.maxDepth()) {
                    problems.add(new Problem(position, "document is nested deeper than "
                            + limits.maxDepth() + " levels", pointer));
                    return false;
                }
                CollectionStartEvent start = (CollectionStartEvent) event;
                rejectTag(start.getTag(), position, pointer);
                boolean mapping = event.getEventId() == Event.ID.MappingStart;
                value = mapping ? NODES.objectNode() : NODES.arrayNode();
                stack.push(new Frame(value, pointer, start.getAnchor().map(a -> a.getValue()).orElse(null)));
            }
            if (nodes > limits.maxNodes()) {
                problems.add(new Problem(position, "document has more than " + limits.maxNodes()
                        + " values (after expanding aliases)", pointer));
                return false;
            }
            values.put(pointer, position);
            attach(parent, value);
            if (!(value.isContainer() && stack.peek() != null && stack.peek().node == value)) {
                event.getAnchor().ifPresent(a -> anchors.put(a.getValue(), value));
            }
            return true;
        }

        private boolean key(Frame mapping, NodeEvent event) {
            SourcePosition position = at(event.getStartMark());
            if (!(event instanceof ScalarEvent scalar)) {
                problems.add(new Problem(position, "mapping keys must be plain strings", mapping.pointer));
                return false;
            }
            nodes++;
            String name = scalar.getValue();
            String pointer = PositionedTree.child(mapping.pointer, name);
            SourcePosition first = keys.get(pointer);
            if (first != null && mapping.node.has(name)) {
                problems.add(new Problem(position, "duplicate key '" + name + "' (first defined at line "
                        + first.line() + ")", pointer));
                mapping.pendingKey = null;
            } else {
                keys.put(pointer, position);
                mapping.pendingKey = name;
            }
            mapping.awaitingValue = true;
            return true;
        }

        private void attach(Frame parent, JsonNode value) {
            if (parent == null) {
                root = value;
            } else if (parent.node instanceof ArrayNode array) {
                array.add(value);
                parent.index++;
            } else {
                if (parent.pendingKey != null) {
                    ((ObjectNode) parent.node).set(parent.pendingKey, value);
                }
                parent.pendingKey = null;
                parent.awaitingValue = false;
            }
        }

        private void close() {
            Frame done = stack.pop();
            if (done.anchor != null) {
                anchors.put(done.anchor, done.node);
            }
        }

        private JsonNode scalar(ScalarEvent scalar, SourcePosition position, String pointer) {
            String value = scalar.getValue();
            Optional<String> explicit = scalar.getTag().filter(t -> !t.equals("!"));
            Tag tag;
            if (explicit.isPresent()) {
                tag = new Tag(explicit.get());
                if (!List.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL).contains(tag)) {
                    problems.add(new Problem(position, "unsupported YAML tag " + explicit.get(), pointer));
                    return NODES.stringNode(value);
                }
            } else {
                tag = scalar.isPlain() ? RESOLVER.resolve(value, true) : Tag.STR;
            }
            try {
                if (tag.equals(Tag.NULL)) {
                    return NODES.nullNode();
                } else if (tag.equals(Tag.BOOL)) {
                    return NODES.booleanNode(value.equalsIgnoreCase("true"));
                } else if (tag.equals(Tag.INT)) {
                    return NODES.numberNode(integer(value));
                } else if (tag.equals(Tag.FLOAT)) {
                    return NODES.numberNode(Double.parseDouble(value.replace(".inf", "Infinity")
                            .replace(".Inf", "Infinity").replace(".INF", "Infinity")));
                }
            } catch (NumberFormatException e) {
                problems.add(new Problem(position, "'" + value + "' is not a valid " + tag.getValue(), pointer));
            }
            return NODES.stringNode(value);
        }

        private void rejectTag(Optional<String> tag, SourcePosition position, String pointer) {
            tag.filter(t -> !t.equals(Tag.MAP.getValue()) && !t.equals(Tag.SEQ.getValue()))
                    .ifPresent(t -> problems.add(new Problem(position, "unsupported YAML tag " + t, pointer)));
        }

        private SourcePosition at(Optional<Mark> mark) {
            return mark.map(m -> new SourcePosition(file, m.getLine() + 1, m.getColumn() + 1))
                    .orElse(SourcePosition.start(file));
        }
    }

    private static BigInteger integer(String value) {
        String v = value.startsWith("+") ? value.substring(1) : value;
        if (v.startsWith("0x")) {
            return new BigInteger(v.substring(2), 16);
        }
        if (v.startsWith("0o")) {
            return new BigInteger(v.substring(2), 8);
        }
        return new BigInteger(v);
    }

    private static int count(JsonNode node) {
        int n = 1;
        for (JsonNode child : node) {
            n += count(child);
        }
        return n;
    }

    private static String syntax(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        String message = (context.isEmpty() ? problem : context + ": " + problem).replaceAll("\\s+", " ").trim();
        // Where the construct began (an open quote, a block) often says more than where parsing gave up.
        String began = e.getContextMark().filter(c -> e.getProblemMark().map(p -> p.getLine() != c.getLine())
                .orElse(false)).map(c -> " (it began at line " + (c.getLine() + 1) + ", column " + (c.getColumn() + 1)
                + ")").orElse("");
        return "YAML syntax error: " + message + began;
    }

    /** A mapping or sequence being filled. */
    private static final class Frame {
        final JsonNode node;
        final String pointer;
        final String anchor;
        String pendingKey;
        boolean awaitingValue;
        int index;

        Frame(JsonNode node, String pointer, String anchor) {
            this.node = node;
            this.pointer = pointer;
            this.anchor = anchor;
        }

        boolean expectsKey() {
            return node instanceof ObjectNode && !awaitingValue;
        }

        String childPointer() {
            return node instanceof ObjectNode
                    ? PositionedTree.child(pointer, pendingKey == null ? "" : pendingKey)
                    : PositionedTree.child(pointer, index);
        }
    }

}

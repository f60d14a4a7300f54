package dev.gafail.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.actions.BuiltinActions;
import dev.gafail.runbook.Expressions;
import dev.gafail.runbook.RunbookLoader;
import dev.gafail.testing.CliRun;
import dev.gafail.topology.TopologyLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Generated hostile input for the three readers of user text (runbook loader, topology loader,
 * expression checker): deep nesting of YAML and of expressions, sizes over the limits, invalid
 * UTF-8, NULs and control bytes, very long lines. Whatever comes in, the answer is a model or
 * positioned problems (the exit-2 kind), never another exception and never a JVM error.
 */
class HostileInputPropertiesTest {

    private static final RunbookLoader RUNBOOKS = new RunbookLoader(BuiltinActions.registry(), new Expressions());
    private static final TopologyLoader TOPOLOGIES = new TopologyLoader();
    private static final Expressions EXPRESSIONS = new Expressions();
    private static final String RUNBOOK = """
            apiVersion: gafail.dev/v1
            kind: Runbook
            metadata: {name: hostile}
            parameters:
              to: {type: string, default: region-b}
            steps:
              - id: check
                action: control.assert
                with: {that: "HOLE"}
              - id: pause
                action: control.wait
                with: {duration: HOLE}
            """;
    private static final String TOPOLOGY = resource("/dev/gafail/topology/example.gafail.yaml");

    private Path home;

    @BeforeProperty
    void home() throws IOException {
        home = Files.createTempDirectory("gafail-hostile");
    }

    @AfterProperty
    void removeHome() throws IOException {
        try (var files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 150)
    void theRunbookLoaderAnswersWithARunbookOrPositionedProblems(@ForAll("hostileRunbooks") byte[] bytes) {
        try {
            RUNBOOKS.parse("hostile.yaml", bytes);
        } catch (InvalidFileException e) {
            assertPositioned("hostile.yaml", e);
        }
    }

    @Property(tries = 80)
    void theTopologyLoaderAnswersWithATopologyOrPositionedProblems(@ForAll("hostileTopologies") byte[] bytes) {
        try {
            TOPOLOGIES.parse("gafail.yaml", bytes);
        } catch (InvalidFileException e) {
            assertPositioned("gafail.yaml", e);
        }
    }

    /** Parsed, the expression evaluates or says why not; refused, it says where, inside the text. */
    @Property(tries = 400)
    void theExpressionCheckerAnswersWithATemplateOrAPositionedError(@ForAll("hostileExpressions") String text) {
        Expressions.Template template;
        try {
            template = EXPRESSIONS.parse(text);
        } catch (Expressions.ExpressionException e) {
            assertTrue(e.offset() >= 0 && e.offset() <= text.length(), e.offset() + " in " + text.length());
            assertFalse(e.getMessage().isBlank());
            return;
        }
        try {
            EXPRESSIONS.evaluate(template, Map.of("params", Map.of("to", "region-b", "n", 3L,
                    "d", Duration.ofSeconds(2)), "steps", Map.of(), "topology", Map.of("peer", Map.of())));
        } catch (Expressions.ExpressionException e) {
            assertFalse(e.getMessage().isBlank());
        }
    }

    /** Through the command, as a user meets it: exit 0 or 2, positioned lines, no trace. */
    @Property(tries = 25)
    void validateExitsTwoWithPositionedLines(@ForAll("hostileRunbooks") byte[] bytes) throws IOException {
        Path file = home.resolve("hostile.yaml");
        Files.write(file, bytes);

        CliRun.Result result = CliRun.in(home).run("validate", file.toString());

        assertTrue(result.code() == 0 || result.code() == 2, result.toString());
        if (result.code() == 2) {
            result.err().lines().forEach(line -> assertTrue(line.startsWith(file + ":"), line));
        }
        assertFalse(result.err().contains("Exception") || result.err().contains("\tat "), result.err());
    }

    private static void assertPositioned(String file, InvalidFileException e) {
        assertFalse(e.problems().isEmpty());
        for (Problem problem : e.problems()) {
            assertEquals(file, problem.position().file());
            assertTrue(problem.position().line() >= 1 && problem.position().column() >= 1, problem.format());
            assertFalse(problem.format().contains("\n") || problem.format().contains("\r"),
                    "one line: " + problem.format());
        }
    }

    @Provide
    Arbitrary<byte[]> hostileRunbooks() {
        Arbitrary<byte[]> filled = Combinators.combine(hostileText(), hostileText())
                .as((that, duration) -> {
                    int first = RUNBOOK.indexOf("HOLE");
                    String once = RUNBOOK.substring(0, first) + quoteless(that) + RUNBOOK.substring(first + 4);
                    return once.replace("HOLE", quoteless(duration)).getBytes(StandardCharsets.UTF_8);
                });
        return Arbitraries.oneOf(filled, mutated(RUNBOOK), nested(), oddBytes(), oversized());
    }

    @Provide
    Arbitrary<byte[]> hostileTopologies() {
        Arbitrary<byte[]> filled = Combinators.combine(Arbitraries.of("endpoint: https://api.example.com",
                        "    healthz: https://b.api.example.com/healthz", "globalDatabase: orders-global",
                        "metadata: {name: orders-api}", "    awsRegion: us-west-2"), hostileText())
                .as((line, text) -> TOPOLOGY.replace(line, line.substring(0, line.indexOf(':') + 2) + text)
                        .getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(filled, mutated(TOPOLOGY), nested(), oddBytes(), oversized());
    }

    @Provide
    Arbitrary<String> hostileExpressions() {
        Arbitrary<String> deep = Combinators.combine(Arbitraries.of("(", "[", "{1:", "!", "-", "~", "not ", "1?1:",
                        "params.to + ", "size(", "[1, ", "'(' + "), Arbitraries.integers().between(1, 3000))
                .as((piece, n) -> piece.repeat(n) + "1");
        Arbitrary<String> sums = Arbitraries.integers().between(1, 12_000).map(n -> "1" + " + params.n".repeat(n));
        Arbitrary<String> body = Arbitraries.oneOf(deep, sums, hostileText(),
                Arbitraries.strings().withChars("()[]{}!-~+*/%<>=&|?:'\"\\.,$ abcnotparmsize0123\u0000\n")
                        .ofMaxLength(400));
        return Combinators.combine(Arbitraries.of("${{ ", "${{", "x ${{ ", "${{ ${{ "), body,
                        Arbitraries.of(" }}", "}}", "", " }} ${{ 1 }}", " }} }}"))
                .as((open, inner, close) -> open + inner + close);
    }

    /** Text that is hard to take: deep, long, quoted, with expressions, NULs and control characters. */
    private static Arbitrary<String> hostileText() {
        Arbitrary<Integer> many = Arbitraries.integers().between(1, 5000);
        return Arbitraries.oneOf(
                many.map(n -> "${{ " + "(".repeat(n) + "true" + ")".repeat(n) + " }}"),
                many.map(n -> "${{ " + "!".repeat(n) + "true }}"),
                many.map(n -> "${{ params.to" + ".class".repeat(Math.min(n, 3)) + " }}"),
                many.map(n -> "${{ 1" + " + 1".repeat(n * 2) + " > 0 }}"),
                many.map(n -> "9".repeat(n) + "h"),
                many.map(n -> "1h".repeat(n)),
                many.map(n -> "x".repeat(n * 40)),
                many.map(n -> "[".repeat(n) + "]".repeat(n)),
                Arbitraries.of("\u0000", "\u0007", "\uFEFF", "\uD83D\uDE00", "\t", "\r", "\u2028", "'", "\\\"",
                        "&a *a", "!!binary AAAA", "? x", "}}", "${{", "0x7fffffffffffffff", "-1s", "721h", "1e999"),
                Arbitraries.strings().all().ofMaxLength(200));
    }

    /** A document with its quotes taken away, so that the text lands in it raw. */
    private static String quoteless(String text) {
        return text.replace("\"", "'");
    }

    /** Nesting of YAML collections far past the limit, in flow and block style. */
    private static Arbitrary<byte[]> nested() {
        Arbitrary<Integer> depth = Arbitraries.integers().between(60, 20_000);
        return Arbitraries.oneOf(
                depth.map(n -> "[".repeat(n) + "]".repeat(n)),
                depth.map(n -> "a: " + "{a: ".repeat(n) + "1" + "}".repeat(n)),
                depth.map(n -> {
                    StringBuilder out = new StringBuilder();
                    for (int i = 0; i < Math.min(n, 3000); i++) {
                        out.append(" ".repeat(i)).append("k:\n");
                    }
                    return out.toString();
                }),
                depth.map(n -> "steps:\n" + "- ".repeat(n) + "x\n"))
                .map(text -> text.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes that are not UTF-8 text, or text with NULs and controls, at random places. */
    private static Arbitrary<byte[]> oddBytes() {
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
        Arbitrary<byte[]> invalidUtf8 = Combinators.combine(Arbitraries.integers().between(0, RUNBOOK.length()),
                        Arbitraries.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc0, (byte) 0x80},
                                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xe2, 0x28},
                                new byte[] {0}, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}))
                .as((at, bad) -> splice(RUNBOOK.getBytes(StandardCharsets.UTF_8), at, bad));
        return Arbitraries.oneOf(noise, invalidUtf8);
    }

    /** Over the size limit, or just under it with one very long line. */
    private static Arbitrary<byte[]> oversized() {
        return Arbitraries.of(UserFiles.MAX_BYTES + 1, UserFiles.MAX_BYTES - 100, 300_000).map(size -> {
            byte[] bytes = new byte[size];
            byte[] head = "apiVersion: gafail.dev/v1\nkind: Runbook\nmetadata: {name: x, description: \""
                    .getBytes(StandardCharsets.UTF_8);
            Arrays.fill(bytes, (byte) 'y');
            System.arraycopy(head, 0, bytes, 0, head.length);
            return bytes;
        }).withoutEdgeCases();
    }

    /** A valid document with a few bytes replaced, inserted or cut. */
    private static Arbitrary<byte[]> mutated(String document) {
        byte[] original = document.getBytes(StandardCharsets.UTF_8);
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, original.length - 1),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 255))
                .as((at, kind, value) -> new int[] {at, kind, value});
        return edit.list().ofMinSize(1).ofMaxSize(8).map(edits -> {
            byte[] bytes = original;
            for (int[] e : edits) {
                int at = Math.min(e[0], bytes.length - 1);
                bytes = switch (e[1]) {
                    case 0 -> splice(cut(bytes, at), at, new byte[] {(byte) e[2]});
                    case 1 -> splice(bytes, at, new byte[] {(byte) e[2]});
                    default -> cut(bytes, at);
                };
            }
            return bytes;
        });
    }

    private static byte[] splice(byte[] into, int at, byte[] what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(into, 0, at);
        out.writeBytes(what);
        out.write(into, at, into.length - at);
        return out.toByteArray();
    }

    private static byte[] cut(byte[] from, int at) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(from, 0, at);
        out.write(from, at + 1, from.length - at - 1);
        return out.toByteArray();
    }

    private static String resource(String name) {
        try (InputStream in = TopologyLoader.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.gafail.engine;

import dev.gafail.yaml.InvalidFileException;
import dev.gafail.yaml.Problem;
import java.util.List;

/**
 * The one exception that ends a command: it carries the exit code and the lines to print on stderr
 * (one, or one per problem for invalid files). The entry point maps it; nothing below it exits.
 */
public class GafailException extends RuntimeException {

    private final ExitCode exitCode;
    private final List<String> lines;
    private final List<Problem> problems;

    public GafailException(ExitCode exitCode, String message) {
        this(exitCode, List.of(message));
    }

    public GafailException(ExitCode exitCode, List<String> lines) {
        this(exitCode, lines, List.of());
    }

    private GafailException(ExitCode exitCode, List<String> lines, List<Problem> problems) {
        super(String.join("\n", lines));
        this.exitCode = exitCode;
        this.lines = List.copyOf(lines);
        this.problems = List.copyOf(problems);
    }

    /** A file the user must fix: exit 2, with every problem in it as {@code FILE:LINE:COLUMN: message}, one per line. */
    public static GafailException invalid(InvalidFileException e) {
        return new GafailException(ExitCode.USAGE, e.problems().stream().map(Problem::format).toList(), e.problems());
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public List<String> lines() {
        return lines;
    }

    /** The problems of an invalid file, each with its position; empty for any other error. */
    public List<Problem> problems() {
        return problems;
    }
}

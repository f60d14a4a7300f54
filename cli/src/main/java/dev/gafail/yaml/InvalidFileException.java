package dev.gafail.yaml;

import java.util.List;

/** A user file (runbook, topology) that cannot be used, with every problem found in it. */
public final class InvalidFileException extends Exception {

    private final List<Problem> problems;

    public InvalidFileException(List<Problem> problems) {
        super(problems.isEmpty() ? "invalid file" : problems.get(0).format());
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}

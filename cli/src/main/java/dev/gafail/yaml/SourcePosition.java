package dev.gafail.yaml;

/** A place in a source file, 1-based, as editors and compilers print it. */
public record SourcePosition(String file, int line, int column) {

    public static SourcePosition start(String file) {
        return new SourcePosition(file, 1, 1);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}

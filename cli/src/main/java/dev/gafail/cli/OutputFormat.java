package dev.gafail.cli;

/** {@code --output}: text for people, json (one object per line, or one array) for programs. */
public enum OutputFormat {
    TEXT, JSON
}

package dev.gafail.cli;

/**
 * {@code --output}: text for people; json for programs (one document, or one object per line for an
 * execution's events); markdown, a table to paste into a ticket or chat, for the commands that print one.
 */
public enum OutputFormat {
    TEXT, JSON, MARKDOWN
}

package dev.gafail.cli;

/** A command whose text is a table, so that it prints markdown too ({@code --output markdown}). */
interface Tables {
}

package dev.gafail.cli;

/**
 * ANSI colours, or none: off unless a person is at a terminal that takes escape codes (not TERM=dumb),
 * and off with --no-color or NO_COLOR.
 */
record Style(boolean color) {

    String green(String text) {
        return paint("32", text);
    }

    String red(String text) {
        return paint("31", text);
    }

    String yellow(String text) {
        return paint("33", text);
    }

    String bold(String text) {
        return paint("1", text);
    }

    String dim(String text) {
        return paint("2", text);
    }

    private String paint(String code, String text) {
        return color ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
}

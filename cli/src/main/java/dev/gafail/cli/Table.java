package dev.gafail.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Rows under headers: aligned columns for a terminal, or a markdown table for a ticket or chat. */
record Table(List<String> headers, List<List<String>> rows) {

    Table {
        headers = List.copyOf(headers);
        rows = List.copyOf(rows);
    }

    Table(List<String> headers) {
        this(headers, List.of());
    }

    Table with(List<String> row) {
        List<List<String>> more = new ArrayList<>(rows);
        more.add(List.copyOf(row));
        return new Table(headers, more);
    }

    void print(PrintWriter out, boolean markdown) {
        if (markdown) {
            out.println(markdownLine(headers));
            out.println(markdownLine(headers.stream().map(h -> "---").toList()));
            rows.forEach(row -> out.println(markdownLine(row)));
            return;
        }
        int[] widths = new int[headers.size()];
        for (int i = 0; i < headers.size(); i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.println(textLine(headers, widths));
        rows.forEach(row -> out.println(textLine(row, widths)));
    }

    private static String textLine(List<String> values, int[] widths) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            text.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", values.get(i)));
        }
        return text.toString().stripTrailing();
    }

    private static String markdownLine(List<String> values) {
        return "| " + String.join(" | ", values.stream().map(v -> v.replace("|", "\\|")).toList()) + " |";
    }
}

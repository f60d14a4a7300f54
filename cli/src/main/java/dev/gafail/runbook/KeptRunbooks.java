package dev.gafail.runbook;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The child runbooks an execution ran with, kept in its journal beside its own copy, so that a resume on
 * any machine runs exactly the runbooks it began with. Each entry says which runbook named it and how
 * ({@code parent}, {@code ref}; an empty parent is the execution's own runbook), the name it was loaded
 * under ({@code file}) and its text ({@code source}).
 */
public final class KeptRunbooks implements RunbookSources {

    private final Map<String, Map<String, String>> byParentAndRef = new LinkedHashMap<>();
    private final String copy;

    /**
     * @param kept the entries as {@link #of} wrote them
     * @param copy the name the execution's copy of its runbook is parsed under
     */
    public KeptRunbooks(List<Map<String, String>> kept, String copy) {
        kept.forEach(entry -> byParentAndRef.put(entry.get("parent") + "\n" + entry.get("ref"), entry));
        this.copy = copy;
    }

    /** The entries for {@code runbook}'s children, however deep; empty when it runs none. */
    public static List<Map<String, String>> of(Runbook runbook) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Runbook parent : runbook.withChildren()) {
            parent.children().forEach((ref, child) -> {
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("parent", parent == runbook ? "" : parent.file());
                entry.put("ref", ref);
                entry.put("file", child.file());
                entry.put("source", child.source());
                out.add(entry);
            });
        }
        return out;
    }

    @Override
    public Optional<Source> child(String parentFile, String ref) {
        String parent = parentFile.equals(copy) ? "" : parentFile;
        return Optional.ofNullable(byParentAndRef.get(parent + "\n" + ref)).map(entry -> new Source(entry.get("file"),
                entry.get("source").getBytes(StandardCharsets.UTF_8)));
    }
}

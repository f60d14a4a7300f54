package dev.gafail.yaml;

import java.util.Collection;
import java.util.Comparator;

/** "did you mean" hints for misspelt names. */
public final class Suggestions {

    private Suggestions() {
    }

    /** {@code " (did you mean 'x'?)"} when a candidate is within a couple of edits, else "". */
    public static String didYouMean(String wrong, Collection<String> candidates) {
        return candidates.stream()
                .filter(c -> distance(wrong, c) <= Math.max(2, c.length() / 4))
                .min(Comparator.comparingInt(c -> distance(wrong, c)))
                .map(c -> " (did you mean '" + c + "'?)")
                .orElse("");
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

package dev.gafail.testing;

import dev.gafail.engine.Event;
import dev.gafail.engine.Journal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Reading executions' journals from a gafail home, in tests. */
public final class Journals {

    private Journals() {
    }

    /** The ids of the executions in {@code home}, oldest first. */
    public static List<String> ids(Path home) {
        Path dir = home.resolve("executions");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String only(Path home) {
        List<String> ids = ids(home);
        if (ids.size() != 1) {
            throw new AssertionError("expected one execution, found " + ids);
        }
        return ids.get(0);
    }

    public static List<Event> events(Path home, String id) {
        try {
            return Journal.read(home.resolve("executions").resolve(id).resolve("journal.jsonl")).events();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (bounded) until some execution's journal has an event matching {@code wanted}; returns the id. */
    public static String awaitEvent(Path home, Predicate<Event> wanted, Duration within) throws InterruptedException {
        Instant end = Instant.now().plus(within);
        while (Instant.now().isBefore(end)) {
            for (String id : ids(home)) {
                Path journal = home.resolve("executions").resolve(id).resolve("journal.jsonl");
                if (Files.exists(journal) && events(home, id).stream().anyMatch(wanted)) {
                    return id;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no journal in " + home + " reached the awaited event within " + within);
    }
}

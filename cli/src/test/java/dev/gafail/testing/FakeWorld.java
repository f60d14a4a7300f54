package dev.gafail.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;

/** The state that test step types change, and the record of every call they received. */
public final class FakeWorld {

    private final List<String> calls = new ArrayList<>();
    private final Set<String> present = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final Map<String, CyclicBarrier> barriers = new HashMap<>();
    private final Map<String, List<Optional<FakeChange.Outputs>>> rollbackOutputs = new HashMap<>();

    private java.util.function.Consumer<String> onApply = key -> { };

    /** Runs {@code probe} at the start of every apply (with the key) and rollback ("rollback:KEY"), e.g. to look at the journal. */
    public synchronized void onApply(java.util.function.Consumer<String> probe) {
        this.onApply = probe;
    }

    synchronized java.util.function.Consumer<String> applyProbe() {
        return onApply;
    }

    public synchronized void record(String call) {
        calls.add(call);
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The calls that change something: apply and rollback. */
    public synchronized List<String> mutations() {
        return calls.stream().filter(c -> !c.startsWith("plan:")).toList();
    }

    public synchronized boolean present(String key) {
        return present.contains(key);
    }

    public synchronized void put(String key) {
        present.add(key);
    }

    public synchronized void remove(String key) {
        present.remove(key);
    }

    /** Records the outputs a rollback of {@code key} was given. */
    public synchronized void rolledBackWith(String key, Optional<FakeChange.Outputs> outputs) {
        rollbackOutputs.computeIfAbsent(key, k -> new ArrayList<>()).add(outputs);
    }

    /** The outputs each rollback of {@code key} was given, first first. */
    public synchronized List<Optional<FakeChange.Outputs>> rollbackOutputs(String key) {
        return List.copyOf(rollbackOutputs.getOrDefault(key, List.of()));
    }

    /** Counts one more injected failure for {@code key}; returns how many there were before. */
    public synchronized int fail(String key) {
        return failures.merge(key, 1, Integer::sum) - 1;
    }

    public synchronized int failures(String key) {
        return failures.getOrDefault(key, 0);
    }

    /** A two-party barrier: steps that meet at it prove they ran at the same time. */
    public synchronized CyclicBarrier barrier(String name) {
        return barriers.computeIfAbsent(name, n -> new CyclicBarrier(2));
    }
}

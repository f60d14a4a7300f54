package dev.gafail.lab.net;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a lost region's ports fail, as real partitions fail: what a client of them sees. */
public enum Outage {
    /** Connections are accepted and never answered: a client waits until its own call timeout. */
    HANG,
    /** Connection attempts go unanswered, nothing accepts them: a client's connect times out. */
    BLACKHOLE,
    /** Connections are refused at once. */
    REFUSE;

    /** The name {@code lab fail --mode} takes and {@code lab status} shows. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outage a label names; an unknown one is an {@link IllegalArgumentException} naming the choices. */
    public static Outage of(String label) {
        return Arrays.stream(values()).filter(o -> o.label().equals(label)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("--mode " + label + ": one of " + Arrays.stream(values())
                        .map(Outage::label).collect(Collectors.joining(", "))));
    }
}

package dev.gafail.servers.os;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A process a lab or a test started: its output appended to a log, stopped by its id (and its children's). */
public final class ChildProcess {

    private final Process process;
    private final Path log;

    private ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ChildProcess start(List<String> command, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        return new ChildProcess(builder.start(), log);
    }

    /**
     * How a command run to its end went: whether it ended within its limit, its exit code, and all it
     * printed (stdout and stderr).
     */
    public record Finished(boolean ended, int exitCode, String output) {

        public boolean succeeded() {
            return ended && exitCode == 0;
        }

        /** The first line it printed, or how it ended when it printed nothing. */
        public String firstLine() {
            return output.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
                    .orElse(ended ? "exit " + exitCode : "no answer");
        }
    }

    /**
     * Runs {@code command} to its end, at most {@code limit} (then kills it), with no input; its output
     * goes through a file, so a command that never closes its output cannot hang the caller.
     */
    public static Finished run(List<String> command, Duration limit) throws IOException, InterruptedException {
        Path output = Files.createTempFile("gafail-command", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            return new Finished(ended, ended ? process.exitValue() : -1, Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * Waits until {@code ready} holds, polling every {@code every}; fails at once when the process
     * exits first ("NAME exited with N; see LOG"), or after {@code limit} ("NAME NOT_READY (see LOG)").
     */
    public void awaitReady(String name, String notReady, Duration limit, Duration every, Await.Ready ready)
            throws IOException, InterruptedException {
        Await.until(limit, every, name + " " + notReady + " (see " + log + ")", () -> {
            if (!alive()) {
                throw new IOException(name + " exited with " + exitValue() + "; see " + log);
            }
            return ready.now();
        });
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGTERM, then SIGKILL if it has not ended within {@code graceSeconds}. */
    public void stop(int graceSeconds) throws InterruptedException {
        stop("TERM", graceSeconds);
    }

    /** Sends {@code signal} (e.g. INT: PostgreSQL's fast shutdown), then SIGKILL after {@code graceSeconds}. */
    public void stop(String signal, int graceSeconds) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
        } catch (IOException e) {
            process.destroy();
        }
        if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** SIGTERM to all at once, then SIGKILL to those still running after {@code graceSeconds}. */
    public static void stopAll(List<ChildProcess> processes, int graceSeconds) throws InterruptedException {
        processes.forEach(p -> p.process.destroy());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        for (ChildProcess p : processes) {
            long left = end - System.nanoTime();
            if (left <= 0 || !p.process.waitFor(left, TimeUnit.NANOSECONDS)) {
                p.kill();
            }
        }
    }

    /** The exit code, once it has ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /** SIGKILL to the process and everything it started. */
    public void kill() {
        killTrees(List.of(process.toHandle()));
    }

    /** SIGKILL to each of {@code roots} and everything they started; returns once they have ended. */
    public static void killTrees(List<ProcessHandle> roots) {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle root : roots) {
            all.addAll(root.descendants().toList());
            all.add(root);
        }
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> h).join());
    }
}

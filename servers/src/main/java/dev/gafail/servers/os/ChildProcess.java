package dev.gafail.servers.os;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
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

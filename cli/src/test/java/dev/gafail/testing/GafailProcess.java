package dev.gafail.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** gafail as a real child process (same classes as the tests), for signals, crashes and races. */
public final class GafailProcess implements AutoCloseable {

    /** util-linux's, where it is (not on macOS, where a test run from a terminal may then ask there). */
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private final Process process;
    private final Path out;
    private final Path err;

    private GafailProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code gafail ARGS} with GAFAIL_HOME={@code home}, no terminal and no standard input. */
    public static GafailProcess start(Path home, String... args) {
        return start(home, List.of(), args);
    }

    /** As {@link #start(Path, String...)}, with these environment variables besides (HOME, AWS_PROFILE, ...). */
    public static GafailProcess start(Path home, Map<String, String> env, String... args) {
        return start(home, List.of(), List.of(), env, args);
    }

    /** As {@link #start(Path, String...)}, with JVM options first (e.g. {@code -Dos.arch=...}: another platform). */
    public static GafailProcess start(Path home, List<String> jvmOptions, String... args) {
        return start(home, List.of(), jvmOptions, Map.of(), args);
    }

    /**
     * As {@link #start(Path, String...)}, unable to make any file longer than {@code kib} KiB (RLIMIT_FSIZE):
     * a write past it fails part way with "File too large", as a write to a full disk does.
     */
    public static GafailProcess startWithFileSizeLimit(Path home, int kib, String... args) {
        return start(home, List.of("bash", "-c", "ulimit -f " + kib + " && exec \"$@\"", "bash"), List.of(), Map.of(),
                args);
    }

    /**
     * {@code gafail ARGS | tee TEE} in a pseudo-terminal of its own (util-linux {@code script}), where a
     * person typed {@code typed}: stdout is a pipe, the terminal is still there. With {@code piped}, stdin is
     * a pipe too, fed {@code piped} ({@code printf PIPED | gafail ARGS | tee TEE}). The process's stdout is
     * everything the terminal showed.
     */
    public static GafailProcess startAtTerminal(Path home, Map<String, String> env, String typed, String piped,
                                                Path tee, String... args) {
        String line = "set -o pipefail; " + (piped == null ? "" : "printf %s " + quoted(piped) + " | ")
                + String.join(" ", gafail(List.of(), args).stream().map(GafailProcess::quoted).toList())
                + " | tee " + quoted(tee.toString());
        Map<String, String> shell = new HashMap<>(env);
        shell.put("SHELL", "/bin/bash");
        return launch(home, List.of("script", "-qefc", line, "/dev/null"), shell, typed);
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static List<String> gafail(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.gafail.cli.Main"));
        command.addAll(List.of(args));
        return command;
    }

    private static GafailProcess start(Path home, List<String> wrapper, List<String> jvmOptions,
                                       Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(gafail(jvmOptions, args));
        return launch(home, command, env, null);
    }

    /**
     * Runs {@code command} in a session of its own (no controlling terminal to ask, even when the tests
     * run from one), its stdin {@code typed} (null: nothing, at its end at once).
     */
    private static GafailProcess launch(Path home, List<String> args, Map<String, String> env, String typed) {
        List<String> command = new ArrayList<>(SETSID.stream().filter(Files::isExecutable).limit(1)
                .map(Path::toString).toList());
        command.addAll(args);
        try {
            Path out = Files.createTempFile(home.getParent(), "gafail-out", ".txt");
            Path err = Files.createTempFile(home.getParent(), "gafail-err", ".txt");
            File input = new File("/dev/null");
            if (typed != null) {
                Path answers = Files.createTempFile(home.getParent(), "gafail-typed", ".txt");
                Files.writeString(answers, typed);
                input = answers.toFile();
            }
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(input));
            builder.environment().put("GAFAIL_HOME", home.toString());
            builder.environment().putAll(env);
            return new GafailProcess(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the exit (bounded); fails the test if the process hangs. */
    public int exitCode() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gafail did not exit within 60 s; stderr:\n" + err());
        }
        return process.exitValue();
    }

    /** SIGKILL: the process dies at once, wherever it is. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: what a supervisor or a closing terminal session sends. */
    public void terminate() {
        process.destroy();
    }

    public String out() {
        return read(out);
    }

    public String err() {
        return read(err);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}

package dev.gafail.lab;

import dev.gafail.servers.ServerBinaries;
import dev.gafail.servers.os.ChildProcess;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Starts a lab's supervisor in the background, talks to it, and stops it: what the {@code gafail lab}
 * commands use. A lab whose supervisor died (a crash, a reboot) is cleaned up by process id.
 */
public final class LabControl {

    private static final String SUPERVISOR_LOG = "supervisor.log";
    /** What the lab's parts look like in the process table (redis-server shows as redis-check-rdb on Debian). */
    private static final List<String> PARTS = List.of("postgres", "sample-api", "redis", "valkey", "s3mock");

    private final Path dir;
    private final LabState state;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LabControl(Path dir, LabState state) {
        this.dir = dir;
        this.state = state;
    }

    /** The running lab in {@code dir}, or a message that says there is none. */
    public static LabControl of(Path dir) throws LabException {
        LabState state = read(dir).filter(s -> s.supervisorAlive() && LabState.READY.equals(s.state()))
                .orElseThrow(() -> new LabException("no lab is running in " + dir + "; start one with `gafail lab up`"));
        return new LabControl(dir, state);
    }

    private static Optional<LabState> read(Path dir) throws LabException {
        try {
            return LabState.read(dir);
        } catch (IOException e) {
            throw new LabException(e.getMessage(), e);
        }
    }

    /**
     * Starts a supervisor for a lab in {@code dir} and waits until it is ready; cleans up first what a
     * dead supervisor left. Returns what was cleaned up, as lines to show. {@code valkeyServer} is the
     * {@value ServerBinaries#VALKEY_ENV} the command was given (its environment, which tests choose);
     * {@code acceleratorRegion} hosts Global Accelerator's control plane ({@link LabConfig#acceleratorRegion}).
     */
    public static List<String> start(Path dir, int instances, Path sampleApiJar, String acceleratorRegion,
                                     boolean writerEndpoint, Optional<String> valkeyServer, Duration limit)
            throws LabException, InterruptedException {
        return launch(dir, List.of(Integer.toString(instances), sampleApiJar.toAbsolutePath().toString(),
                acceleratorRegion, writerEndpoint ? Supervisor.WRITER_ENDPOINT : "no-writer-endpoint"), valkeyServer,
                limit);
    }

    /**
     * Starts a supervisor for Global Accelerator's control plane alone in {@code dir}
     * ({@link LabStandIn#acceleratorOnly}), as {@link #start} does a whole lab.
     */
    public static List<String> startAcceleratorOnly(Path dir, String acceleratorRegion, String emulator,
                                                    Duration limit) throws LabException, InterruptedException {
        return launch(dir, List.of(Supervisor.ONLY, LabStandIn.ACCELERATOR_SERVICE, acceleratorRegion, emulator),
                Optional.empty(), limit);
    }

    /** Starts a supervisor with {@code args} after the lab's folder, and waits until it is ready. */
    private static List<String> launch(Path dir, List<String> args, Optional<String> valkeyServer, Duration limit)
            throws LabException, InterruptedException {
        Optional<LabState> previous = read(dir);
        if (previous.isPresent() && previous.get().supervisorAlive()) {
            throw new LabException("a lab is already running in " + dir + " (supervisor pid "
                    + previous.get().supervisorPid() + "); `gafail lab down` stops it");
        }
        List<String> cleaned = previous.map(LabControl::killStale).orElse(List.of());
        Process supervisor;
        try {
            Files.createDirectories(dir);
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                command.add("/usr/bin/setsid"); // its own session: closing the terminal does not stop the lab
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), Supervisor.class.getName(), dir.toString()));
            command.addAll(args);
            Files.deleteIfExists(dir.resolve(LabState.FILE));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(SUPERVISOR_LOG).toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().remove(ServerBinaries.VALKEY_ENV);
            valkeyServer.ifPresent(v -> builder.environment().put(ServerBinaries.VALKEY_ENV, v));
            supervisor = builder.start();
        } catch (IOException e) {
            throw new LabException("cannot start the lab's supervisor: " + e.getMessage(), e);
        }
        Instant end = Instant.now().plus(limit);
        while (Instant.now().isBefore(end)) {
            Optional<LabState> now = read(dir);
            if (now.isPresent() && LabState.READY.equals(now.get().state())) {
                return cleaned;
            }
            if (now.isPresent() && LabState.FAILED.equals(now.get().state())) {
                throw new LabException(now.get().message() + " (log: " + dir.resolve(SUPERVISOR_LOG) + ")");
            }
            if (!supervisor.isAlive()) {
                throw new LabException("the lab's supervisor exited with " + supervisor.exitValue() + ": "
                        + tail(dir.resolve(SUPERVISOR_LOG)));
            }
            Thread.sleep(100);
        }
        supervisor.destroy();
        throw new LabException("the lab was not ready within " + limit.toSeconds() + "s; see "
                + dir.resolve(SUPERVISOR_LOG));
    }

    /** The topology file of a lab that is running (ready, its supervisor alive) in {@code dir}, if one is. */
    public static Optional<Path> runningTopology(Path dir) {
        try {
            return read(dir).filter(s -> LabState.READY.equals(s.state()) && s.supervisorAlive())
                    .map(s -> dir.resolve(Lab.TOPOLOGY)).filter(Files::isRegularFile);
        } catch (LabException e) {
            return Optional.empty();
        }
    }

    /** Kills the parts a dead supervisor left running (and what they started), by id, if they are still the lab's. */
    private static List<String> killStale(LabState state) {
        List<String> killed = new ArrayList<>();
        List<ProcessHandle> stale = new ArrayList<>();
        for (long pid : state.pids()) {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(p -> {
                String command = p.info().commandLine().orElse("");
                if (PARTS.stream().anyMatch(command::contains)) {
                    stale.add(p);
                    killed.add("stopped pid " + pid + " left by a lab whose supervisor died: " + command);
                }
            });
        }
        ChildProcess.killTrees(stale);
        return killed;
    }

    /** Stops the lab in {@code dir}, by its supervisor or, if that died, by the process ids it recorded. */
    public static List<String> down(Path dir, Duration limit) throws LabException, InterruptedException {
        Optional<LabState> state = read(dir);
        if (state.isEmpty()) {
            throw new LabException("no lab in " + dir);
        }
        if (!state.get().supervisorAlive()) {
            List<String> killed = killStale(state.get());
            return killed.isEmpty() ? List.of("no lab was running in " + dir) : killed;
        }
        long pid = state.get().supervisorPid();
        try {
            new LabControl(dir, state.get()).call("down", Map.of());
        } catch (LabException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
        Instant end = Instant.now().plus(limit);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (Instant.now().isAfter(end)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                killStale(state.get());
                return List.of("the supervisor did not stop within " + limit.toSeconds() + "s; killed it and its parts");
            }
            Thread.sleep(100);
        }
        return List.of();
    }

    /** One operation of the supervisor; its JSON answer. */
    public String call(String operation, Map<String, String> query) throws LabException {
        StringJoiner q = new StringJoiner("&");
        query.forEach((k, v) -> q.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        URI uri = URI.create("http://127.0.0.1:" + state.controlPort() + "/" + operation + (q.length() == 0 ? "" : "?" + q));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(3))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                String error = operation + ": " + LabState.JSON.readTree(response.body()).path("error")
                        .asString(response.body());
                // 400: what was asked makes no sense (an unknown region), as opposed to a lab that failed at it.
                if (response.statusCode() == 400) {
                    throw new IllegalArgumentException(error);
                }
                throw new LabException(error);
            }
            return response.body();
        } catch (IOException e) {
            throw new LabException("the lab's supervisor does not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }

    public Path dir() {
        return dir;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }
}

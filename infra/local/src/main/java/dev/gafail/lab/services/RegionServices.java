package dev.gafail.lab.services;

import dev.gafail.servers.os.Await;
import dev.gafail.servers.os.ChildProcess;
import dev.gafail.servers.os.Ports;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A region's ECS service in the lab: sample-api processes started from the jar. The desired count
 * is the number of processes; scaling up waits for each new one's {@code /healthz}, scaling down
 * drains the newest first (SIGTERM: sample-api stops taking work, then ends).
 */
public final class RegionServices {

    /** One running task: its process and port. */
    public record Task(ChildProcess process, int port) {
    }

    private static final Duration READY_LIMIT = Duration.ofSeconds(60);

    private final String region;
    private final Path jar;
    private final Map<String, String> env;
    private final Path logs;
    private final List<Task> tasks = new ArrayList<>();
    private int started;

    /** @param env sample-api's settings for this region, without PORT */
    public RegionServices(String region, Path jar, Map<String, String> env, Path logs) {
        this.region = region;
        this.jar = jar;
        this.env = Map.copyOf(env);
        this.logs = logs;
    }

    public synchronized List<Task> tasks() {
        return List.copyOf(tasks);
    }

    public synchronized int count() {
        return tasks.size();
    }

    /** Starts or drains processes until {@code desired} run; new ones are awaited until healthy. */
    public void scale(int desired) throws IOException, InterruptedException {
        List<Task> starting = new ArrayList<>();
        List<Task> draining = new ArrayList<>();
        synchronized (this) {
            while (tasks.size() + starting.size() < desired) {
                starting.add(launch());
            }
            while (tasks.size() > desired) {
                draining.add(tasks.remove(tasks.size() - 1));
            }
        }
        IOException failed = null;
        List<Task> pending = new ArrayList<>(starting);
        try {
            for (Task task : starting) {
                try {
                    awaitHealthy(task);
                    synchronized (this) {
                        tasks.add(task);
                    }
                } catch (IOException e) {
                    task.process().kill();
                    failed = failed == null ? e : failed;
                }
                pending.remove(task);
            }
        } finally {
            // Interrupted (the lab is closing): a process not yet one of the tasks would be stopped by nobody.
            pending.forEach(t -> t.process().kill());
        }
        ChildProcess.stopAll(draining.stream().map(Task::process).toList(), 15);
        if (failed != null) {
            throw failed;
        }
    }

    private Task launch() throws IOException {
        int port = Ports.free();
        Map<String, String> all = new HashMap<>(env);
        all.put("PORT", Integer.toString(port));
        all.put("BIND_ADDRESS", "127.0.0.1");
        all.put("REGION", region);
        all.put("DRAIN_SECONDS", "1");
        int n = ++started;
        ChildProcess process = ChildProcess.start(List.of(javaBinary(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xmx128m", "-jar", jar.toString()), all, logs.resolve("sample-api-" + n + ".log"));
        return new Task(process, port);
    }

    private void awaitHealthy(Task task) throws IOException, InterruptedException {
        URI health = URI.create("http://127.0.0.1:" + task.port() + "/healthz");
        task.process().awaitReady("sample-api in " + region, "was not healthy", READY_LIMIT, Duration.ofMillis(200),
                () -> Await.ok(health));
    }

    /** Ends every process at once, as a lost region. */
    public void kill() {
        List<Task> all;
        synchronized (this) {
            all = List.copyOf(tasks);
            tasks.clear();
        }
        all.forEach(t -> t.process().kill());
    }

    /** Drains and stops every process, all at once. */
    public void stop() throws InterruptedException {
        List<Task> all;
        synchronized (this) {
            all = List.copyOf(tasks);
            tasks.clear();
        }
        ChildProcess.stopAll(all.stream().map(Task::process).toList(), 15);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

package dev.gafail.lab.load;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Steady client traffic through the lab's edge, as the API's users make it: each client reads notes
 * and writes new ones (one write in four), every request on a new connection. A write carries an
 * Idempotency-Key and is retried with it, backing off, until it is acknowledged (201, or 200 for a
 * replay), as a well-behaved client does through a failover. Every attempt is kept as a
 * {@link Sample}; every acknowledged write is kept to be read back afterwards.
 */
public final class ClientLoad implements AutoCloseable {

    /** A write the API acknowledged: the client may forget it now, so the API must not. */
    public record Write(String id, String key, Instant at, String region) {
    }

    /**
     * The acknowledged writes read back.
     *
     * @param lost       the API answered 404: the write is gone
     * @param unreadable no answer but errors until the patience ran out: cannot tell
     */
    public record ReadBack(int checked, List<Write> lost, List<Write> unreadable) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final URI edge;
    private final Map<String, String> auth;
    private final Duration pause;
    private final List<Thread> clients = new ArrayList<>();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final List<Write> acknowledged = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    /**
     * @param clients how many clients send at once
     * @param pause   how long each waits between two requests
     */
    public ClientLoad(URI edge, String token, int clients, Duration pause) {
        this.edge = edge;
        this.auth = Map.of("Authorization", "Bearer " + token);
        this.pause = pause;
        for (int i = 0; i < clients; i++) {
            Thread client = new Thread(this::run, "lab-client-" + i);
            client.setDaemon(true);
            this.clients.add(client);
        }
    }

    public ClientLoad start() {
        running = true;
        clients.forEach(Thread::start);
        return this;
    }

    /** Every request so far, in no particular order. */
    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    public List<Write> acknowledged() {
        return List.copyOf(acknowledged);
    }

    private void run() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try {
            while (running) {
                List<Write> written = acknowledged;
                if (written.isEmpty() || random.nextInt(4) == 0) {
                    write();
                } else {
                    Write note = written.get(random.nextInt(written.size()));
                    send("GET", "/api/v1/notes/" + note.id(), Map.of(), null, false);
                }
                Thread.sleep(pause.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write() throws InterruptedException {
        String key = UUID.randomUUID().toString();
        String body = "{\"title\": \"load " + key.substring(0, 8) + "\", \"body\": \"written through a failover\"}";
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            Optional<HttpOnce.Response> answer = send("POST", "/api/v1/notes", Map.of("Idempotency-Key", key), body,
                    true);
            if (answer.isPresent() && (answer.get().status() == 201 || answer.get().status() == 200)) {
                String id = JSON.readTree(answer.get().body()).path("id").asString();
                acknowledged.add(new Write(id, key, Instant.now(), answer.get().header("X-Region")));
                return;
            }
            Thread.sleep(backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private Optional<HttpOnce.Response> send(String method, String path, Map<String, String> extra, String body,
                                             boolean write) {
        Map<String, String> headers = new LinkedHashMap<>(auth);
        headers.putAll(extra);
        Instant at = Instant.now();
        long start = System.nanoTime();
        try {
            HttpOnce.Response response = HttpOnce.send(edge, method, path, headers, body, TIMEOUT);
            samples.add(new Sample(at, Duration.ofNanos(System.nanoTime() - start), write, response.status(),
                    response.header("X-Region")));
            return Optional.of(response);
        } catch (IOException | RuntimeException e) {
            samples.add(new Sample(at, Duration.ofNanos(System.nanoTime() - start), write, 0, ""));
            return Optional.empty();
        }
    }

    /** Stops every client; a write still being retried is abandoned (it was never acknowledged). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread client : clients) {
            client.interrupt();
            client.join(TIMEOUT.toMillis() * 2);
        }
    }

    /**
     * Reads every acknowledged write back through the edge: 404 is lost; no answer or an error is
     * asked again, for up to {@code patience} in all.
     */
    public ReadBack readBack(Duration patience) throws InterruptedException {
        List<Write> lost = new ArrayList<>();
        List<Write> unreadable = new ArrayList<>();
        Instant until = Instant.now().plus(patience);
        List<Write> written = acknowledged();
        for (Write write : written) {
            int status = readBack(write);
            while (status != 200 && status != 404 && Instant.now().isBefore(until)) {
                Thread.sleep(FIRST_BACKOFF.toMillis());
                status = readBack(write);
            }
            if (status == 404) {
                lost.add(write);
            } else if (status != 200) {
                unreadable.add(write);
            }
        }
        return new ReadBack(written.size(), lost, unreadable);
    }

    private int readBack(Write write) {
        try {
            return HttpOnce.send(edge, "GET", "/api/v1/notes/" + write.id(), auth, null, TIMEOUT).status();
        } catch (IOException e) {
            return 0;
        }
    }
}

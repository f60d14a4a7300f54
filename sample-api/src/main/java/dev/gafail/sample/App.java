package dev.gafail.sample;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The service, assembled from its configuration; tests start it in-process on a free port. */
public final class App implements AutoCloseable {

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm the body then
        // waits for the client's delayed ACK, 40 ms a response. Read once, when the server class loads.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // A client that sends its request slower than this is cut off, so slow clients cannot hold workers.
        System.setProperty("sun.net.httpserver.maxReqTime", "30");
        // Aurora's endpoints are DNS names that move with the writer, with a 5 s TTL; the JVM would keep an
        // answer for 30 s, and keep sending new writer connections to the old writer for that long.
        java.security.Security.setProperty("networkaddress.cache.ttl", "5");
    }

    private final Database database;
    private final Optional<Database> writer;
    private final NoteCache cache;
    private final RoleMonitor monitor;
    private final HttpServer server;
    private final ExecutorService workers;
    private final RequestLog log;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();

    private App(Config config, PrintStream logOut, Clock clock, Duration checkEvery) {
        // Bind first: if the port is taken, nothing else has been started that would need stopping.
        try {
            this.server = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.bindAddress() + ":" + config.port(), e);
        }
        this.log = new RequestLog(logOut, config.region(), clock);
        this.database = Database.regional(config);
        this.writer = Database.writer(config);
        this.cache = new NoteCache(config.valkeyUrl(), config.cacheTtl());
        this.monitor = new RoleMonitor(database, cache, clock);
        Optional<Writes> writes = writer.map(w -> new Writes(new Notes(w.dataSource(), config.region(), clock),
                config.writeWait(), clock));
        Api api = new Api(config, new Auth(config), new Notes(database.dataSource(), config.region(), clock), writes,
                cache, monitor, log, draining::get, version());
        this.workers = Executors.newFixedThreadPool(32, r -> {
            Thread thread = new Thread(r, "http");
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", exchange -> {
            inFlight.incrementAndGet();
            try {
                api.handle(exchange);
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.setExecutor(workers);
        monitor.start(checkEvery);
        server.start();
        log.event("INFO", "listening on " + config.bindAddress() + ":" + port() + " as " + config.region());
    }

    public static App start(Config config, PrintStream logOut) {
        return new App(config, logOut, Clock.systemUTC(), Duration.ofMillis(500));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * What ECS's SIGTERM asks: readiness turns 503 at once, so traffic moves away during
     * {@code announce}; then in-flight requests get up to {@code grace} to finish.
     */
    public void drain(Duration announce, Duration grace) {
        draining.set(true);
        log.event("INFO", "draining");
        try {
            Thread.sleep(announce.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Wait for the requests in flight ourselves: on Java 17, HttpServer.stop(delay) always waits the
        // whole delay, even with nothing left to finish.
        long end = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < end && !closed.get()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        server.stop(0);
        workers.shutdownNow();
        monitor.close();
        cache.close();
        writer.ifPresent(Database::close);
        database.close();
    }

    static String version() {
        Properties properties = new Properties();
        try (InputStream in = App.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // unknown, below
        }
        return properties.getProperty("version", "unknown");
    }
}

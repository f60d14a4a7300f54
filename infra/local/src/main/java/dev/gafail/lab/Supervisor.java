package dev.gafail.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * The background process that owns a lab ({@code gafail lab up} starts it): it starts every part,
 * says in {@code lab.json} when it is ready (or why it failed), and takes the lab's operations on a
 * control port on 127.0.0.1, one at a time. It stops everything on {@code /down}, SIGTERM or Ctrl-C.
 */
public final class Supervisor {

    /** The argument that starts Global Accelerator's control plane alone ({@link LabStandIn#acceleratorOnly}). */
    static final String ONLY = "--only";

    private final Supervised lab;
    private final Path dir;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile int controlPort;

    private Supervisor(Supervised lab, Path dir) {
        this.lab = lab;
        this.dir = dir;
    }

    /** The argument that starts a lab whose sample API writes from every region through the writer endpoint. */
    static final String WRITER_ENDPOINT = "writer-endpoint";

    /**
     * {@code DIR INSTANCES SAMPLE_API_JAR ACCELERATOR_REGION writer-endpoint|no-writer-endpoint} for a whole lab,
     * or {@code DIR --only globalaccelerator ACCELERATOR_REGION EMULATOR_URL} for Global Accelerator's control
     * plane alone.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath();
        long pid = ProcessHandle.current().pid();
        new LabState(LabState.STARTING, pid, 0, "", List.of()).write(dir);
        Supervised lab;
        try {
            if (args[1].equals(ONLY)) {
                lab = LabStandIn.acceleratorOnly(dir, args[3], args[4]);
            } else {
                lab = new LabOperations(Lab.up(LabConfig.defaults(dir, Integer.parseInt(args[1]), Path.of(args[2]))
                        .withAcceleratorRegion(args[3]).withWriterEndpoint(args[4].equals(WRITER_ENDPOINT))));
            }
        } catch (LabException | IOException | RuntimeException e) {
            new LabState(LabState.FAILED, pid, 0, e.getMessage(), List.of()).write(dir);
            System.err.println("gafail lab: " + e.getMessage());
            System.exit(1);
            return;
        }
        Supervisor supervisor = new Supervisor(lab, dir);
        Runtime.getRuntime().addShutdownHook(new Thread(supervisor::stop, "lab-down"));
        HttpServer control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        control.createContext("/", supervisor::handle);
        control.setExecutor(Executors.newSingleThreadExecutor());
        control.start();
        supervisor.controlPort = control.getAddress().getPort();
        supervisor.publish();
        supervisor.done.await();
        control.stop(0);
        System.exit(0);
    }

    /** Ready, with the process ids of every part as they are now. */
    private synchronized void publish() throws IOException {
        new LabState(LabState.READY, ProcessHandle.current().pid(), controlPort, "", lab.pids()).write(dir);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String operation = exchange.getRequestURI().getPath().substring(1);
        int status = 200;
        Object body;
        try {
            body = operation.equals("down") ? Map.of("stopping", true) : lab.operate(operation, query);
            publish();
        } catch (IllegalArgumentException e) {
            status = 400;
            body = Map.of("error", e.getMessage());
        } catch (Exception e) {
            status = 500;
            body = Map.of("error", String.valueOf(e.getMessage()));
        }
        byte[] json = LabState.JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
        if (operation.equals("down")) {
            stop();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    /** Stops every part, once, and lets the process end. */
    private synchronized void stop() {
        if (done.getCount() == 0) {
            return;
        }
        try {
            lab.close();
            new LabState("stopped", ProcessHandle.current().pid(), 0, "", List.of()).write(dir);
        } catch (InterruptedException | IOException e) {
            Thread.currentThread().interrupt();
        } finally {
            done.countDown();
        }
    }
}

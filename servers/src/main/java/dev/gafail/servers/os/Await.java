package dev.gafail.servers.os;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** Waiting for a server or a part of the lab to be ready: polling a condition until a limit. */
public final class Await {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** Whether the part is ready; throws when it never will be (its process died). */
    @FunctionalInterface
    public interface Ready {
        boolean now() throws IOException, InterruptedException;
    }

    private Await() {
    }

    /** Polls {@code ready} every {@code every} until it holds, or fails saying {@code what} did not happen in time. */
    public static void until(Duration limit, Duration every, String what, Ready ready)
            throws IOException, InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (true) {
            if (ready.now()) {
                return;
            }
            if (Instant.now().isAfter(end)) {
                throw new IOException(what + " within " + limit.toSeconds() + "s");
            }
            Thread.sleep(every.toMillis());
        }
    }

    /** Whether {@code url} answers 200 now. */
    public static boolean ok(URI url) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether something listens on 127.0.0.1:{@code port}. */
    public static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

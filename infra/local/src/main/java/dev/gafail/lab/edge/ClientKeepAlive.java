package dev.gafail.lab.edge;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A load balancer's HTTP client keepalive duration, as an ALB's {@code client_keep_alive.seconds}: a
 * client connection's age counts from its start and does not reset on traffic; once it is past the
 * duration, the next response closes the connection gracefully ({@code Connection: close}), so the
 * client reconnects and the accelerator routes it by the dials of that moment. Connections are known
 * by the client's address (a port the system reuses within {@link #FORGET_AFTER} only closes a new
 * connection early, once), and their first answer stands for their start.
 */
final class ClientKeepAlive {

    /**
     * A connection unseen this long is closed: the JDK's HttpServer closes connections idle for 30 s
     * ({@code sun.net.httpserver.idleInterval}), so forgetting it then keeps the table to open connections.
     */
    static final Duration FORGET_AFTER = Duration.ofSeconds(30);

    private record Seen(Instant opened, Instant last) {
    }

    private final Duration duration;
    private final Map<InetSocketAddress, Seen> connections = new ConcurrentHashMap<>();

    ClientKeepAlive(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a client keepalive duration is above 0, not " + duration);
        }
        this.duration = duration;
    }

    /** Whether the answer to this request of {@code client}'s connection closes it: once it is older than the duration. */
    boolean closes(InetSocketAddress client, Instant now) {
        Seen seen = connections.merge(client, new Seen(now, now), (old, fresh) -> new Seen(old.opened(), now));
        if (Duration.between(seen.opened(), now).compareTo(duration) < 0) {
            return false;
        }
        connections.remove(client);
        return true;
    }

    /** Forgets the connections unseen for {@link #FORGET_AFTER}: they are closed. */
    void forgetIdle(Instant now) {
        Instant before = now.minus(FORGET_AFTER);
        connections.values().removeIf(seen -> seen.last().isBefore(before));
    }

    /** How many connections it knows: what {@link #forgetIdle} bounds. */
    int known() {
        return connections.size();
    }
}

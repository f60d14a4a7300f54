package dev.gafail.lab.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * A lab-owned TCP proxy on 127.0.0.1 in front of a server, so that faults can be made on demand on
 * a port that stays the same: added latency (a dependency that slows down), a pause (bytes held, as
 * a stalled link holds replication), and an {@link Outage} (a lost region), in which the connections
 * already open go silent (hang, blackhole) or are closed (refuse); {@link #restore} undoes them all.
 */
public final class TcpProxy implements AutoCloseable {

    /** What a hung proxy does with a connection it accepted and will never answer: reads it (to log what was asked). */
    @FunctionalInterface
    public interface Unanswered {
        void read(InputStream in) throws IOException;
    }

    private enum Listening { ACCEPTING, BLACK_HOLE, NONE }

    private static final int BACKLOG = 128;
    /** How long the connection to the upstream may take to open before the client's is closed. */
    private static final int UPSTREAM_CONNECT_TIMEOUT_MS = 2000;
    /** How long a connection of the lab's own may take to reach a black hole's queue before it counts as full. */
    private static final int PARK_TIMEOUT_MS = 100;

    private final String name;
    private final IntSupplier upstream;
    private final Unanswered unanswered;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /** Makes an outage's start and end one step for the connections: which are forwarded, held or dropped. */
    private final Object connections = new Object();
    private final Object pauseLock = new Object();
    private boolean paused;
    private volatile Duration latency = Duration.ZERO;
    private volatile Optional<Outage> outage = Optional.empty();
    // Guarded by this: the listening socket an outage wants, its acceptor, and the lab's connections that fill a black hole.
    private ServerSocket listener;
    private Thread acceptor;
    private Listening listening;
    private final List<Socket> parked = new ArrayList<>();

    /** Listens on {@code port} (0: a free one) and forwards to 127.0.0.1:{@code upstreamPort}. */
    public TcpProxy(String name, int port, int upstreamPort) throws IOException {
        this(name, port, () -> upstreamPort);
    }

    /** Forwards each new connection to the port {@code upstream} gives at that moment (the edge's routing). */
    public TcpProxy(String name, int port, IntSupplier upstream) throws IOException {
        this(name, port, upstream, in -> in.transferTo(OutputStream.nullOutputStream()));
    }

    /** As above; while it hangs, {@code unanswered} reads each connection it accepts and never answers. */
    public TcpProxy(String name, int port, IntSupplier upstream, Unanswered unanswered) throws IOException {
        this.name = name;
        this.upstream = upstream;
        this.unanswered = unanswered;
        listener = bind(port, BACKLOG);
        listening = Listening.ACCEPTING;
        this.port = listener.getLocalPort();
        acceptor = acceptOn(listener);
    }

    public int port() {
        return port;
    }

    public void latency(Duration delay) {
        latency = delay;
    }

    public Duration latency() {
        return latency;
    }

    /** Holds every byte in both directions until {@link #resume}. */
    public void pause() {
        synchronized (pauseLock) {
            paused = true;
        }
    }

    public boolean isPaused() {
        synchronized (pauseLock) {
            return paused;
        }
    }

    public void resume() {
        synchronized (pauseLock) {
            paused = false;
            pauseLock.notifyAll();
        }
    }

    /** The port fails as {@code mode} says until {@link #restore}; the connections open now go silent, or closed (refuse). */
    public synchronized void fail(Outage mode) throws IOException {
        synchronized (connections) {
            outage = Optional.of(mode);
            if (mode == Outage.REFUSE) {
                dropAll();
            }
        }
        listen(switch (mode) {
            case HANG -> Listening.ACCEPTING;
            case BLACKHOLE -> Listening.BLACK_HOLE;
            case REFUSE -> Listening.NONE;
        });
    }

    /** The outage the port is in, if it is in one. */
    public Optional<Outage> outage() {
        return outage;
    }

    /**
     * Undoes latency, pause and outage. After an outage the connections it silenced are closed (as the
     * far end, its state lost, resets them) and the same port accepts again.
     */
    public synchronized void restore() throws IOException {
        latency = Duration.ZERO;
        if (outage.isPresent()) {
            synchronized (connections) {
                dropAll();
                outage = Optional.empty();
            }
            listen(Listening.ACCEPTING);
        }
        resume();
    }

    private void listen(Listening wanted) throws IOException {
        if (wanted == listening) {
            return;
        }
        closeListener();
        switch (wanted) {
            case ACCEPTING -> {
                listener = bind(port, BACKLOG);
                acceptor = acceptOn(listener);
            }
            case BLACK_HOLE -> {
                listener = bind(port, 1);
                park(listener);
            }
            case NONE -> {
                // nothing listens: connections are refused
            }
        }
        listening = wanted;
    }

    private static ServerSocket bind(int port, int backlog) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true); // the same port again after an outage, beside its connections of before
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
        return socket;
    }

    /**
     * Fills a listener that never accepts with connections of the lab's own until one no longer gets
     * in: with its accept queue full, the kernel drops every other SYN (tcp_abort_on_overflow=0), so
     * a client's connect times out, as toward a partitioned host, and no root is needed.
     */
    private void park(ServerSocket hole) throws IOException {
        for (int i = 0; i < 8; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(hole.getLocalSocketAddress(), PARK_TIMEOUT_MS);
                parked.add(socket);
            } catch (SocketTimeoutException full) {
                return;
            }
        }
        throw new IOException("the accept queue of port " + port + " does not fill: it cannot be a black hole");
    }

    /**
     * Closes the listening socket, and waits until it is gone: one that a thread is accepting on stays
     * open in the kernel until that thread has left accept.
     */
    private void closeListener() {
        if (listener != null) {
            closeQuietly(listener);
            listener = null;
        }
        if (acceptor != null) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            acceptor = null;
        }
        parked.forEach(TcpProxy::closeQuietly);
        parked.clear();
    }

    private Thread acceptOn(ServerSocket socket) {
        Thread thread = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    // Off the accepting thread: a connection to a slow upstream must not stall the others.
                    Thread connection = new Thread(() -> serve(client), "proxy-" + name + "-connect");
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "proxy-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void serve(Socket client) {
        synchronized (connections) {
            open.add(client);
            if (outage.isPresent()) {
                hold(client);
                return;
            }
        }
        try {
            Socket server = new Socket();
            // On loopback a connection opens at once, unless its port is a black hole (a lost region).
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstream.getAsInt()),
                    UPSTREAM_CONNECT_TIMEOUT_MS);
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            open.add(server);
            pump(client, server, true);
            pump(server, client, false);
        } catch (IOException e) {
            open.remove(client);
            closeQuietly(client);
        }
    }

    /** A connection accepted while the port hangs: read, never answered, closed when the outage ends. */
    private void hold(Socket client) {
        Thread reader = new Thread(() -> {
            try {
                unanswered.read(client.getInputStream());
            } catch (IOException e) {
                // the client gave up, or the outage ended
            }
        }, "proxy-" + name + "-unanswered");
        reader.setDaemon(true);
        reader.start();
    }

    private void pump(Socket from, Socket to, boolean request) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    Duration delay = latency;
                    if (request && !delay.isZero()) {
                        Thread.sleep(delay.toMillis());
                    }
                    awaitForwarding(from, to);
                    if (from.isClosed() || to.isClosed()) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the connection ended; close both sides below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "proxy-" + name + (request ? "-up" : "-down"));
        thread.setDaemon(true);
        thread.start();
    }

    /** Holds the bytes read while paused or in an outage, until it ends or the connection is closed. */
    private void awaitForwarding(Socket from, Socket to) throws InterruptedException {
        synchronized (pauseLock) {
            while ((paused || outage.isPresent()) && !from.isClosed() && !to.isClosed()) {
                pauseLock.wait(200);
            }
        }
    }

    private void dropAll() {
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    private static void closeQuietly(AutoCloseable socket) {
        try {
            socket.close();
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public synchronized void close() {
        listening = Listening.NONE;
        closeListener();
        dropAll();
        resume();
    }
}

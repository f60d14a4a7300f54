package dev.gafail.lab.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * A lab-owned TCP proxy on 127.0.0.1 in front of a server, so that faults can be made on demand:
 * added latency (a dependency that slows down), a pause (bytes held, as a stalled link holds
 * replication), and a cut (every connection closed, new ones refused at once, as a lost region).
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final IntSupplier upstream;
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean cut;
    private final Object pauseLock = new Object();
    private boolean paused;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final String name;

    /** Listens on {@code port} (0: a free one) and forwards to 127.0.0.1:{@code upstreamPort}. */
    public TcpProxy(String name, int port, int upstreamPort) throws IOException {
        this(name, port, () -> upstreamPort);
    }

    /** Forwards each new connection to the port {@code upstream} gives at that moment (the edge's routing). */
    public TcpProxy(String name, int port, IntSupplier upstream) throws IOException {
        this.name = name;
        this.upstream = upstream;
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread acceptor = new Thread(this::accept, "proxy-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
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

    /** Closes every connection and refuses new ones until {@link #restore}. */
    public void cut() {
        cut = true;
        dropAll();
    }

    /** Undoes latency, pause and cut. */
    public void restore() {
        cut = false;
        latency = Duration.ZERO;
        resume();
    }

    public boolean isCut() {
        return cut;
    }

    /** Closes the connections now open (a server restarting behind the proxy). */
    public void dropAll() {
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstream.getAsInt());
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                open.add(client);
                open.add(server);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to, boolean request) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    awaitUnpaused();
                    Duration delay = latency;
                    if (request && !delay.isZero()) {
                        Thread.sleep(delay.toMillis());
                    }
                    if (cut) {
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

    private void awaitUnpaused() throws InterruptedException {
        synchronized (pauseLock) {
            while (paused && !cut) {
                pauseLock.wait(200);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut = true;
        closeQuietly(listener);
        dropAll();
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}

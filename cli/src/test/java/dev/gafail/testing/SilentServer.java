package dev.gafail.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hanging endpoint on 127.0.0.1: it accepts every connection and never answers a byte, or (with a
 * {@code start}) answers that much and then nothing more.
 */
public final class SilentServer implements AutoCloseable {

    private final ServerSocket socket;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    public SilentServer() {
        this("");
    }

    /** Answers {@code start} (e.g. a status line and headers promising a body) to every connection, then hangs. */
    public SilentServer(String start) {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    accepted.add(connection); // held open, never read
                    connection.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
                    connection.getOutputStream().flush();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** How many connections it has taken (and left hanging). */
    public int connections() {
        return accepted.size();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}

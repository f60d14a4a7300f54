package dev.gafail.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gafail.servers.os.Ports;
import dev.gafail.servers.valkey.ValkeyServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged server runs, answers the Redis protocol on 127.0.0.1, and is gone when closed. */
class ValkeyServerTest {

    @TempDir
    Path tmp;

    @Test
    void thePackagedServerAnswersAndStopsByProcessId() throws Exception {
        ValkeyServer server = ValkeyServer.start(ServerBinaries.here().valkeyServer(), Ports.free(),
                tmp.resolve("valkey.log"));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            assertEquals("+PONG", in.readLine());
        } finally {
            server.close();
        }
        assertFalse(server.process().alive());
    }
}

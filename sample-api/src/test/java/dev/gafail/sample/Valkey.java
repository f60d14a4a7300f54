package dev.gafail.sample;

import dev.gafail.servers.ServerBinaries;
import dev.gafail.servers.os.Ports;
import dev.gafail.servers.valkey.ValkeyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real Valkey/Redis server for tests (the packaged one, or GAFAIL_VALKEY_SERVER's), on 127.0.0.1. */
final class Valkey {

    private Valkey() {
    }

    static ValkeyServer start() {
        try {
            Path log = Files.createTempFile("valkey", ".log");
            log.toFile().deleteOnExit();
            return ValkeyServer.start(ServerBinaries.here().valkeyServer(), Ports.free(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

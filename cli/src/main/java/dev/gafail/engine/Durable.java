package dev.gafail.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** fsync of a directory, so that a file created in it survives a crash (Linux and macOS allow it). */
final class Durable {

    private Durable() {
    }

    static void syncDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some filesystems refuse to open directories; the file itself was already forced.
        }
    }
}

package dev.gafail.yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * The one way gafail reads a file a user names (runbook, topology, infra configuration, stack
 * outputs): only a regular file, and never more than a limit. The type is checked before the file is
 * opened, because opening a FIFO blocks until a writer comes; the limit is applied while reading,
 * because a device such as /dev/zero reports no size and never ends.
 */
public final class UserFiles {

    /** The same bound the YAML reader puts on a document. */
    public static final int MAX_BYTES = YamlTreeReader.Limits.DEFAULT.maxBytes();

    private UserFiles() {
    }

    public static byte[] read(Path file) throws InvalidFileException {
        return read(file, MAX_BYTES);
    }

    public static byte[] read(Path file, int maxBytes) throws InvalidFileException {
        String name = file.toString();
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw single(name, "is a directory, not a file");
            }
            if (!attributes.isRegularFile()) {
                throw single(name, "is not a regular file (a device, FIFO or socket); gafail reads only regular files");
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes(maxBytes + 1);
                if (bytes.length > maxBytes) {
                    throw single(name, "file is larger than the limit of " + maxBytes + " bytes");
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw single(name, "no such file");
        } catch (AccessDeniedException e) {
            throw single(name, "cannot read: permission denied");
        } catch (IOException e) {
            throw single(name, "cannot read: " + e.getMessage());
        }
    }

    private static InvalidFileException single(String file, String message) {
        return new InvalidFileException(List.of(new Problem(SourcePosition.start(file), message, "")));
    }
}

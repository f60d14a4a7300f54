package dev.gafail.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code lab.json} in the lab folder: whether the lab is starting, ready or failed (and why), the
 * supervisor's process id and control port, and the process ids of every part, so that a
 * {@code lab up} after a crash can remove what is stale.
 */
public record LabState(String state, long supervisorPid, int controlPort, String message, List<Long> pids) {

    public static final String FILE = "lab.json";
    public static final String STARTING = "starting";
    public static final String READY = "ready";
    public static final String FAILED = "failed";

    static final ObjectMapper JSON = JsonMapper.builder().build();

    public LabState {
        pids = pids == null ? List.of() : List.copyOf(pids);
        message = message == null ? "" : message;
    }

    /** Written whole, then renamed: a reader never sees half of it. */
    public void write(Path dir) throws IOException {
        Path partial = dir.resolve(FILE + ".partial");
        Files.writeString(partial, JSON.writeValueAsString(this) + "\n");
        Files.move(partial, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Optional<LabState> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readString(file), LabState.class));
        } catch (JacksonException e) {
            throw new IOException(file + " is not a lab state file: " + e.getOriginalMessage(), e);
        }
    }

    /** Whether the supervisor that wrote this still runs. */
    public boolean supervisorAlive() {
        return ProcessHandle.of(supervisorPid).map(ProcessHandle::isAlive).orElse(false);
    }
}

package dev.gafail.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Who runs gafail, from where: recorded in journals, locks and the audit log. */
public record Actor(String user, String host, long pid, Instant processStart, String cwd) {

    public static Actor current() {
        ProcessHandle self = ProcessHandle.current();
        return new Actor(System.getProperty("user.name", "unknown"), hostName(), self.pid(),
                self.info().startInstant().orElse(null), Path.of("").toAbsolutePath().toString());
    }

    /** Whether the process this names is still running: same host, same pid, same start time. */
    public static boolean alive(String host, long pid, Instant processStart) {
        if (!hostName().equals(host)) {
            return true; // cannot tell from here; assume it runs
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = process.get().info().startInstant();
        return processStart == null || started.isEmpty()
                || Math.abs(started.get().toEpochMilli() - processStart.toEpochMilli()) < 2000;
    }

    static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}

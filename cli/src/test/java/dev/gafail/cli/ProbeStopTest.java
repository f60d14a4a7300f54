package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.testing.FakeAws;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.SilentServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A stop ends an HTTP probe's request at once, not after the request's own timeout. */
class ProbeStopTest {

    @TempDir
    Path dir;

    /**
     * A run stops at a safe point (exit 4); a dry run, which changes nothing and so does not hold a
     * stop back, ends as the signal ends any process (143), never as a success.
     */
    @ParameterizedTest
    @ValueSource(strings = {"run", "plan"})
    void sigtermDuringAHangingProbeStopsWithinSecondsNotAfterTheRequestsTimeout(String command) throws Exception {
        for (String answered : List.of("", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 99\r\n\r\n{")) {
            Path home = Files.createTempDirectory(dir, "home");
            try (SilentServer server = new SilentServer(answered); FakeAws aws = new FakeAws()) {
                Path topology = aws.writeTopology(home);
                Path runbook = home.resolve("probe.yaml");
                Files.writeString(runbook, """
                        apiVersion: gafail.dev/v1
                        kind: Runbook
                        metadata: {name: probe}
                        steps:
                          - {id: probe, action: http.probe, with: {url: "%s/healthz", timeout: 20s, successes: 1}}
                        """.formatted(server.url()));
                List<String> args = new ArrayList<>(List.of(command, runbook.toString(), "--topology", topology.toString()));
                if (command.equals("run")) {
                    args.add("--yes");
                }
                try (GafailProcess run = GafailProcess.start(home, args.toArray(String[]::new))) {
                    for (int i = 0; i < 300 && server.connections() == 0 && run.isAlive(); i++) {
                        Thread.sleep(100);
                    }
                    assertTrue(server.connections() > 0, "the probe never connected: " + run.err());
                    Thread.sleep(300);
                    long sent = System.nanoTime();
                    run.terminate();

                    int code = run.exitCode();
                    long tookMs = (System.nanoTime() - sent) / 1_000_000;
                    assertEquals(command.equals("run") ? 4 : 143, code, run.out() + "\n---\n" + run.err());
                    // The request's own timeout is 20 s; a loaded machine needs some seconds for the rest.
                    assertTrue(tookMs < 10_000, "stopped after " + tookMs + " ms: " + run.err());
                }
            }
        }
    }
}

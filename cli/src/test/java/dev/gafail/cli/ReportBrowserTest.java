package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gafail.testing.CliRun;
import dev.gafail.testing.DrillJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report's page in a real browser: Debian's Chromium (which .ci/run installs), headless, every request to
 * the network refused. The page must draw its chart from what it carries, with no console error; the
 * screenshot stays in target/ as the test's artifact. Without a Chromium on this machine, skipped by name.
 */
class ReportBrowserTest {

    @TempDir
    Path home;

    private static Optional<Path> chromium() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .flatMap(dir -> Stream.of(Path.of(dir, "chromium"), Path.of(dir, "chromium-browser")))
                .filter(Files::isExecutable).findFirst();
    }

    /** What a headless Chromium run printed: stdout, and its log on stderr (console messages included). */
    private record Browsed(String out, String log) {
    }

    private Browsed browse(Path browser, Path page, String... what) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(browser.toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--user-data-dir=" + home.resolve("profile"),
                // the network cut: no proxy answers there, and no name resolves
                "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--enable-logging=stderr", "--v=0", "--window-size=1400,1000", "--virtual-time-budget=10000"));
        command.addAll(List.of(what));
        command.add(page.toUri().toString());
        Path out = home.resolve("browser.out");
        Path log = home.resolve("browser.log");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("chromium did not end within 2 minutes: " + Files.readString(log));
        }
        return new Browsed(Files.readString(out), Files.readString(log));
    }

    @Test
    void theReportPageDrawsItsChartWithTheNetworkCutAndNoConsoleError() throws Exception {
        Optional<Path> browser = chromium();
        assumeTrue(browser.isPresent(), "no chromium on the PATH (Debian's package, which .ci/run installs)");
        DrillJournal.write(home);
        Path page = home.resolve("report.html");
        CliRun.Result written = CliRun.in(home).run("report", DrillJournal.ID, "--out", page.toString());
        assertEquals(0, written.code(), written.toString());

        Browsed dom = browse(browser.get(), page, "--dump-dom");
        Path screenshot = Files.createDirectories(Path.of("target", "report")).resolve("report-screenshot.png")
                .toAbsolutePath();
        Browsed shot = browse(browser.get(), page, "--screenshot=" + screenshot);

        assertTrue(dom.out().contains("data-series=\"phases|answered by region-a|answered by region-b|failed"
                + "|error rate %|p95 ms|dial region-a|dial region-b\""), "the chart script ran to its end: " + dom.log());
        assertTrue(dom.out().contains("<svg") && dom.out().contains(">answered by region-b<"),
                "the chart is drawn, its series named in its legend");
        for (String line : (dom.log() + shot.log()).lines().toList()) {
            assertTrue(!line.contains(":CONSOLE(") || !(line.contains("Uncaught") || line.contains("rror")),
                    "a console error: " + line);
        }
        assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the drawn page: " + shot.log());
    }
}

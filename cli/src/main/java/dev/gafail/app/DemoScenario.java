package dev.gafail.app;

import dev.gafail.aws.GlobalDatabase;
import dev.gafail.engine.EventListener;
import dev.gafail.engine.ExecutionResult;
import dev.gafail.engine.StepFailure;
import dev.gafail.lab.load.ClientLoad;
import dev.gafail.lab.load.LoadReport;
import dev.gafail.topology.Region;
import dev.gafail.yaml.Durations;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The demo's story, under the {@code demo} command: steady client load through the lab's edge, a
 * failover run by gafail (planned, or unplanned after the writer's region is lost), then what the
 * clients saw. The command starts the lab and renders. Times are read on the session's clock; a
 * stop (Ctrl-C, SIGTERM) once the failover has begun ends the waits early, and the story still ends
 * with what the clients saw.
 */
public final class DemoScenario {

    /**
     * Between two requests of one client: 4 clients of each kind make about 40 requests a second, as 4
     * per-request clients alone did at 100 ms, so the demo asks no more of a small machine.
     */
    private static final Duration PAUSE = Duration.ofMillis(200);
    private static final Duration READ_BACK_PATIENCE = Duration.ofSeconds(30);

    /** The two faults of an unplanned demo, as the lab takes them. */
    public interface Faults {
        void stall(String region);

        void fail(String region);
    }

    /**
     * @param clients how many clients of each kind: per-request, and keep-alive
     * @param steady  how long the load runs before and after the failover
     * @param lag    with {@code unplanned}: how long replication stalls before the region is lost
     */
    public record Settings(URI edge, String token, int clients, Duration steady, boolean unplanned, Duration lag,
                           String writer, String target) {
    }

    /**
     * What happened: the failover's result, when the clock ran (from the loss or the failover's start to
     * its end), what the clients saw, and (unplanned) the lost writes the database's report does not name,
     * or why that report could not be read.
     */
    public record Outcome(ExecutionResult failover, Instant start, Instant end, LoadReport report,
                          ClientLoad.ReadBack readBack, List<ClientLoad.Write> unreported,
                          Optional<String> reportUnreadable) {

        /** A planned failover loses nothing; an unplanned one may, but never without saying so. */
        public boolean lostUnreported(boolean unplanned) {
            return !(unplanned ? unreported : readBack.lost()).isEmpty();
        }
    }

    private final Session session;
    private final Faults faults;
    private final Consumer<String> say;

    /** {@code say} takes the scenario's narration, one line at a time, as it happens. */
    public DemoScenario(Session session, Faults faults, Consumer<String> say) {
        this.session = session;
        this.faults = faults;
        this.say = say;
    }

    /** Runs the story; {@code console} follows the failover, {@code ended} hears its result as soon as it ends. */
    public Outcome run(Settings s, EventListener console, Consumer<ExecutionResult> ended)
            throws InterruptedException {
        Clock clock = session.clock();
        ClientLoad load = new ClientLoad(s.edge(), s.token(), s.clients(), s.clients(), PAUSE).start();
        Instant start;
        Instant end;
        ExecutionResult failover;
        try {
            say.accept("");
            say.accept("client load: " + s.clients() + " per-request clients (a new connection each request) and "
                    + s.clients() + " keep-alive clients (each keeps its connection) through the edge " + s.edge()
                    + ", one write in four, each write retried with its Idempotency-Key until acknowledged, a read"
                    + " answered 503 with Retry-After retried");
            say.accept(Durations.human(s.steady()) + " of steady load, then: " + (s.unplanned()
                    ? "replication from " + s.writer() + " stalls for " + Durations.human(s.lag())
                    + ", " + s.writer() + " is lost, and gafail fails over to " + s.target()
                    + " (--mode unplanned --allow-data-loss)"
                    : "gafail failover --to " + s.target() + " --yes (from " + s.writer() + ")"));
            say.accept("");
            pause(s.steady());
            if (s.unplanned()) {
                faults.stall(s.writer());
                pause(s.lag());
                start = clock.instant();
                faults.fail(s.writer());
                say.accept("! " + s.writer() + " is lost (gafail lab stall " + s.writer() + ", then gafail lab fail "
                        + s.writer() + ")");
            } else {
                start = clock.instant();
            }
            ChangeRequest approved = new ChangeRequest(true, "gafail demo", null, false);
            failover = session.execute(s.unplanned()
                    ? new RunRequest(session.bundled("failover-unplanned.yaml"), Map.of("to", s.target(),
                    "allowDataLoss", "true"), approved, false, Set.of(s.writer()))
                    : new RunRequest(session.bundled("failover.yaml"), Map.of("to", s.target()), approved, false),
                    console);
            end = clock.instant();
            ended.accept(failover);
            pause(s.steady());
        } finally {
            load.close();
        }
        ClientLoad.ReadBack readBack = load.readBack(READ_BACK_PATIENCE);
        LoadReport report = LoadReport.of(load.samples(), start, end, s.target());
        if (!s.unplanned() || readBack.lost().isEmpty()) {
            return new Outcome(failover, start, end, report, readBack, List.of(), Optional.empty());
        }
        try {
            return new Outcome(failover, start, end, report, readBack, unreported(readBack.lost(), s.target(), start),
                    Optional.empty());
        } catch (StepFailure e) {
            return new Outcome(failover, start, end, report, readBack, readBack.lost(),
                    Optional.of("cannot read the database's report: " + e.getMessage()));
        }
    }

    /** Waits {@code duration}; a stop by the operator ends the wait early, and the story goes on to its end. */
    private void pause(Duration duration) throws InterruptedException {
        try {
            session.stop().sleep(duration);
        } catch (InterruptedException e) {
            if (!session.stop().requested()) {
                throw e;
            }
        }
    }

    /** The lost writes that the new writer's RDS events (the lab's lost-transaction report) do not name. */
    private List<ClientLoad.Write> unreported(List<ClientLoad.Write> lost, String target, Instant since)
            throws StepFailure {
        Region to = session.topology().require(target);
        GlobalDatabase database = session.target().database();
        List<String> report = database.events(to.awsRegion(), to.dbClusterId(), since);
        return lost.stream().filter(w -> report.stream().noneMatch(e -> e.contains(w.id()))).toList();
    }
}

package dev.gafail.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.ExecutionLock;
import dev.gafail.engine.ExecutionStatus;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.JournalWriter;
import dev.gafail.engine.Lease;
import dev.gafail.engine.LockLost;
import dev.gafail.engine.StateBackend;
import dev.gafail.testing.s3.S3Stub;
import dev.gafail.topology.StateBucket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The state in a bucket, through the real SDK against a stub with S3's conditional semantics. */
class S3StateTest {

    private static final StateBucket BUCKET = new StateBucket("gafail-state", "team/", "us-east-2",
            Duration.ofSeconds(6));
    private static final String SCOPE = "topology:orders";

    @TempDir
    Path home;
    private S3Stub stub;
    private S3Client s3;
    private final MovableClock clock = new MovableClock();
    private S3State state;

    @BeforeEach
    void start() {
        stub = new S3Stub(BUCKET.bucket());
        s3 = client(stub.url().toString());
        state = new S3State(s3, BUCKET, BUCKET.lease(), clock);
    }

    @AfterEach
    void stop() {
        s3.close();
        stub.close();
    }

    private static S3Client client(String endpoint) {
        return S3Client.builder().endpointOverride(java.net.URI.create(endpoint)).region(Region.US_EAST_2)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDALICE", "s")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static ExecutionLock.Holder holder(String user, String execution) {
        return new ExecutionLock.Holder(SCOPE, user, "host-" + user, 4242, null, Instant.now(), execution,
                "arn:aws:sts::000000000000:assumed-role/oncall/" + user, null);
    }

    private static Event started(String execution, String user) {
        return Event.ofExecution(EventType.EXECUTION_STARTED, execution, Instant.now(), null,
                Map.of("lockScope", SCOPE, "host", "host-" + user, "pid", 4242, "runbook", "failover", "user", user));
    }

    private static Event notice(String execution, String text) {
        return Event.ofExecution(EventType.NOTICE, execution, Instant.now(), text, Map.of());
    }

    @Test
    void aSecondHolderIsRefusedWithExit5NamingTheFirstUntilItReleases() {
        Lease alice = state.acquire(holder("alice", "x-1"));
        GafailException refused = assertThrows(GafailException.class, () -> state.acquire(holder("bob", "x-2")));
        assertEquals(ExitCode.LOCKED, refused.exitCode());
        assertTrue(refused.getMessage().contains("alice@host-alice pid 4242 as arn:aws:sts::000000000000:"
                + "assumed-role/oncall/alice"), refused.getMessage());
        assertTrue(refused.getMessage().contains("execution x-1"), refused.getMessage());
        alice.close();
        try (Lease bob = state.acquire(holder("bob", "x-2"))) {
            assertTrue(bob.staleHolder().isEmpty(), "a released lock was taken, not taken over");
        }
    }

    @Test
    void eachEventIsOneObjectReadBackInOrderAndTheExecutionRunsWhileItsLockIsFresh() {
        try (Lease lease = state.acquire(holder("alice", "x-1"));
             JournalWriter journal = state.create("x-1", "name: failover\n", Optional.of("kind: Topology\n"), lease)) {
            journal.on(started("x-1", "alice"));
            journal.on(notice("x-1", "one"));
            journal.on(Event.ofExecution(EventType.PROGRESS, "x-1", Instant.now(), "not journalled", Map.of()));
            journal.on(notice("x-1", "two"));
            ExecutionStore store = new ExecutionStore(state, home);
            ExecutionStore.Stored stored = store.load("x-1", Clock.systemUTC());
            assertEquals(List.of(EventType.EXECUTION_STARTED, EventType.NOTICE, EventType.NOTICE),
                    stored.events().stream().map(Event::type).toList());
            assertEquals("two", stored.events().get(2).message());
            assertEquals(ExecutionStatus.RUNNING, stored.summary().status());
            assertEquals(Optional.of("name: failover\n"), state.runbookCopy("x-1"));
            assertEquals(List.of("x-1"), state.ids());
        }
        assertEquals(ExecutionStatus.INTERRUPTED, new ExecutionStore(state, home).load("x-1", Clock.systemUTC())
                .summary().status(), "released without an end: interrupted");
    }

    @Test
    void aJournalWithAMissingEventIsRefusedInOneLine() {
        try (Lease lease = state.acquire(holder("alice", "x-1"));
             JournalWriter journal = state.create("x-1", "name: failover\n", Optional.empty(), lease)) {
            journal.on(started("x-1", "alice"));
            journal.on(notice("x-1", "one"));
            journal.on(notice("x-1", "two"));
        }
        s3.deleteObject(b -> b.bucket(BUCKET.bucket()).key(state.eventKey("x-1", 2)));
        GafailException refused = assertThrows(GafailException.class,
                () -> new ExecutionStore(state, home).load("x-1", Clock.systemUTC()));
        assertEquals("cannot read the journal of x-1: s3://gafail-state/team/executions/x-1/events/: event 2 is"
                + " missing", refused.getMessage());
    }

    @Test
    void aLockStaleByS3sClockIsTakenOverAndTheStaleHoldersNextEventFindsItsSequenceTaken() {
        Lease alice = state.acquire(holder("alice", "x-1"));
        JournalWriter aliceJournal = state.create("x-1", "name: failover\n", Optional.empty(), alice);
        aliceJournal.on(started("x-1", "alice"));
        stub.clockOffset(Duration.ofSeconds(30));
        try (Lease bob = state.acquire(holder("bob", "x-2"))) {
            assertEquals("alice", bob.staleHolder().orElseThrow().user());
            // Alice's own clocks say her lease lasts: only the fence in her journal stops her.
            alice.check();
            LockLost lost = assertThrows(LockLost.class, () -> aliceJournal.on(notice("x-1", "after the takeover")));
            assertEquals(ExitCode.LOCKED, lost.exitCode());
            assertTrue(lost.getMessage().startsWith("stopped: event 2 of execution x-1 was written by another gafail"),
                    lost.getMessage());
            ExecutionStore.Stored x1 = new ExecutionStore(state, home).load("x-1", Clock.systemUTC());
            Event fence = x1.events().get(1);
            assertEquals(EventType.NOTICE, fence.type());
            assertTrue(fence.message().contains("taken over by bob@host-bob"), fence.message());
            assertEquals(ExecutionStatus.INTERRUPTED, x1.summary().status());
        }
        alice.close();
    }

    @Test
    void aHolderWhoseLeaseRanOutByItsOwnClockRefusesToActAndDoesNotRenew() throws Exception {
        Lease alice = state.acquire(holder("alice", "x-1"));
        String[] told = new String[1];
        alice.onLost(why -> told[0] = why);
        clock.advance(BUCKET.lease());
        LockLost lost = assertThrows(LockLost.class, alice::check);
        assertEquals(ExitCode.ABORTED, lost.exitCode());
        assertTrue(lost.getMessage().startsWith("stopped: the lease on the lock for topology:orders ran out"),
                lost.getMessage());
        assertEquals(lost.getMessage(), told[0]);
        JournalWriter journal = state.append("x-1", alice);
        assertThrows(LockLost.class, () -> journal.on(notice("x-1", "late")));
        assertTrue(state.ids().isEmpty(), "nothing was journalled");
        alice.close();
        try (Lease bob = state.acquire(holder("bob", "x-2"))) {
            assertTrue(bob.staleHolder().isEmpty(), "alice released her lapsed lock when she stopped");
        }
    }

    @Test
    void aHeldLeaseIsRenewedBeforeOthersMayJudgeItStale() throws Exception {
        try (Lease alice = state.acquire(holder("alice", "x-1"))) {
            // Past the lease with S3's clock moved 4 s on: stale, unless alice renewed meanwhile.
            Thread.sleep(3_000);
            stub.clockOffset(Duration.ofSeconds(4));
            alice.check();
            GafailException refused = assertThrows(GafailException.class, () -> state.acquire(holder("bob", "x-2")));
            assertEquals(ExitCode.LOCKED, refused.exitCode());
        }
    }

    @Test
    void aJournalWriteWaitsOutAShortOutageAndStopsInPlaceWhenTheLeaseRunsOut() throws Exception {
        Lease alice = state.acquire(holder("alice", "x-1"));
        JournalWriter journal = state.create("x-1", "name: failover\n", Optional.empty(), alice);
        journal.on(started("x-1", "alice"));
        stub.outage(true);
        Thread writer = new Thread(() -> journal.on(notice("x-1", "written once the bucket answers")));
        writer.start();
        Thread.sleep(1_000);
        assertTrue(writer.isAlive(), "the write waits while the bucket does not answer");
        stub.outage(false);
        writer.join(10_000);
        assertFalse(writer.isAlive());
        assertEquals("written once the bucket answers", new ExecutionStore(state, home).load("x-1", Clock.systemUTC())
                .events().get(1).message());

        stub.outage(true);
        LockLost lost = assertThrows(LockLost.class, () -> journal.on(notice("x-1", "never written")));
        assertEquals(ExitCode.ABORTED, lost.exitCode(), "resumable: " + lost.getMessage());
        assertTrue(lost.getMessage().contains("the state bucket did not answer"), lost.getMessage());
        stub.outage(false);
        assertEquals(2, new ExecutionStore(state, home).load("x-1", Clock.systemUTC()).events().size());
        alice.close();
    }

    @Test
    void forcingAFreshLockIsRefusedAndAStaleOneIsCleared() {
        Lease alice = state.acquire(holder("alice", "x-1"));
        GafailException refused = assertThrows(GafailException.class, () -> state.forceUnlock(SCOPE));
        assertEquals(ExitCode.LOCKED, refused.exitCode());
        assertTrue(refused.getMessage().contains("gafail abort x-1"), refused.getMessage());
        stub.clockOffset(Duration.ofSeconds(30));
        assertEquals("alice", state.forceUnlock(SCOPE).holder().user());
        assertEquals(new ExecutionLock.Forced(null, "no lock object"), state.forceUnlock(SCOPE));
        alice.close();
    }

    @Test
    void anAbortRequestIsReadUntilClearedAndASecondOneIsRefused() {
        StateBackend backend = state;
        assertTrue(backend.abortRequest("x-1").isEmpty());
        backend.requestAbort("x-1", Map.of("by", "bob@host-bob", "reason", "wrong region"));
        assertEquals("wrong region", backend.abortRequest("x-1").orElseThrow().get("reason"));
        GafailException again = assertThrows(GafailException.class,
                () -> backend.requestAbort("x-1", Map.of("by", "carol")));
        assertEquals(ExitCode.USAGE, again.exitCode());
        backend.clearAbort("x-1");
        assertFalse(backend.abortRequest("x-1").isPresent());
    }

    @Test
    void aBucketOutOfReachStopsTheRunBeforeAnythingWithTheBreakGlassHint() {
        try (S3Client nowhere = client("http://127.0.0.1:9")) {
            S3State unreachable = new S3State(nowhere, BUCKET, BUCKET.lease(), clock);
            GafailException refused = assertThrows(GafailException.class,
                    () -> unreachable.acquire(holder("alice", "x-1")));
            assertEquals(ExitCode.PRECONDITIONS_NOT_MET, refused.exitCode());
            assertTrue(refused.getMessage().startsWith("cannot take the lock: the state bucket did not answer:"
                    + " s3://gafail-state/team/locks/orders-"), refused.getMessage());
            assertTrue(refused.getMessage().endsWith("run again with --state local, then later: gafail state push"
                    + " ID"), refused.getMessage());
        }
    }

    /** The wall clock, moved on by hand: a laptop that slept, as its monotonic clock would not tell. */
    private static final class MovableClock extends Clock {
        private volatile Duration ahead = Duration.ZERO;

        void advance(Duration by) {
            ahead = ahead.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }
    }
}

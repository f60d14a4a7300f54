package dev.gafail.actions;

import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.lab.load.ClientLoad;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * A synthetic user load that an execution keeps running in this process, by name: started by
 * load.start, measured by load.check, ended by load.stop, or by the execution's end.
 */
final class UserLoad implements AutoCloseable {

    static final String DEFAULT_NAME = "load";

    private final String name;
    private final URI endpoint;
    private final Instant started;
    private final ClientLoad clients;

    private UserLoad(String name, URI endpoint, Instant started, ClientLoad clients) {
        this.name = name;
        this.endpoint = endpoint;
        this.started = started;
        this.clients = clients;
    }

    /** Starts {@code rate} requests a second against {@code endpoint}, and gives them to the execution to keep. */
    static UserLoad start(StepContext context, String name, URI endpoint, String token, double rate, double writes)
            throws InterruptedException {
        UserLoad load = new UserLoad(name, endpoint, context.clock().instant(),
                ClientLoad.openLoop(endpoint, token, rate, writes).start());
        context.residents().keep(key(name), load);
        return load;
    }

    private static String key(String name) {
        return "load:" + name;
    }

    static Optional<UserLoad> find(StepContext context, String name) {
        return context.residents().get(key(name), UserLoad.class);
    }

    static UserLoad require(StepContext context, String name) throws StepFailure {
        return find(context, name).orElseThrow(() -> StepFailure.permanent("no load '" + name + "' runs in this"
                + " execution: a load.start step" + (DEFAULT_NAME.equals(name) ? "" : " with name: " + name)
                + " starts it, and load.stop or the execution's end stops it"));
    }

    /** Takes the load from the execution, to be stopped now. */
    static Optional<UserLoad> release(StepContext context, String name) {
        return context.residents().release(key(name)).map(UserLoad.class::cast);
    }

    String name() {
        return name;
    }

    URI endpoint() {
        return endpoint;
    }

    Instant started() {
        return started;
    }

    ClientLoad clients() {
        return clients;
    }

    @Override
    public void close() throws InterruptedException {
        clients.close();
    }
}

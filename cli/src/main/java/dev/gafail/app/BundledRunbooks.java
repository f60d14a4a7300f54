package dev.gafail.app;

import dev.gafail.actions.BuiltinActions;
import dev.gafail.engine.ActionRegistry;
import dev.gafail.runbook.Expressions;
import dev.gafail.runbook.Runbook;
import dev.gafail.runbook.RunbookLoader;
import dev.gafail.yaml.InvalidFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The runbooks that ship inside gafail: {@code runbooks/*.yaml} of the repository, packaged in the
 * jar. Infrastructure code reads the IAM actions they need from here, so that an operator role
 * deployed with the stacks and {@code gafail iam-policy runbooks/*.yaml} cannot disagree.
 */
public final class BundledRunbooks {

    /** Every bundled runbook's name (a test checks the list against the repository's folder). */
    public static final List<String> NAMES = List.of("example.yaml", "failover.yaml", "failover-unplanned.yaml");

    private BundledRunbooks() {
    }

    /** The runbook {@code name}, parsed and checked by {@code loader}. */
    public static Runbook load(RunbookLoader loader, String name) throws InvalidFileException {
        try (InputStream in = BundledRunbooks.class.getResourceAsStream("/dev/gafail/runbooks/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the bundled runbook " + name + " is missing from the gafail jar");
            }
            return loader.parse("bundled:" + name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The IAM actions the bundled runbooks' steps call, as {@code gafail iam-policy} lists them. */
    public static SortedSet<String> iamActions() {
        ActionRegistry stepTypes = BuiltinActions.registry(() -> {
            throw new IllegalStateException("reading the IAM actions runs no step");
        });
        RunbookLoader loader = new RunbookLoader(stepTypes, new Expressions());
        SortedSet<String> actions = new TreeSet<>();
        for (String name : NAMES) {
            try {
                load(loader, name).allSteps().forEach(step -> actions.addAll(stepTypes.iamActions(step)));
            } catch (InvalidFileException e) {
                throw new IllegalStateException("the bundled runbook " + name + " is invalid: " + e.getMessage(), e);
            }
        }
        return actions;
    }
}

package dev.gafail.app;

import dev.gafail.actions.BuiltinActions;
import dev.gafail.engine.ActionRegistry;
import dev.gafail.runbook.Expressions;
import dev.gafail.runbook.Runbook;
import dev.gafail.runbook.RunbookLoader;
import dev.gafail.runbook.RunbookSources;
import dev.gafail.yaml.InvalidFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The runbooks that ship inside gafail: {@code runbooks/*.yaml} of the repository, packaged in the
 * jar. Infrastructure code reads the IAM actions they need from here, so that an operator role
 * deployed with the stacks and {@code gafail iam-policy runbooks/*.yaml} cannot disagree.
 */
public final class BundledRunbooks {

    /** Every bundled runbook's name (a test checks the list against the repository's folder). */
    public static final List<String> NAMES = List.of("example.yaml", "failover.yaml", "failover-unplanned.yaml", "drill.yaml",
            "restore-drill.yaml");

    /** How a RUNBOOK argument names a runbook that ships inside gafail, as its problems name it too. */
    public static final String PREFIX = "bundled:";

    private BundledRunbooks() {
    }

    /** The runbook {@code name}, parsed and checked by {@code loader}. */
    public static Runbook load(RunbookLoader loader, String name) throws InvalidFileException {
        return loader.parse(PREFIX + name, bytes(name));
    }

    private static byte[] bytes(String name) {
        try (InputStream in = BundledRunbooks.class.getResourceAsStream("/dev/gafail/runbooks/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the bundled runbook " + name + " is missing from the gafail jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a {@code runbook.run} step's {@code ref} names: {@code bundled:NAME} a runbook that ships with
     * gafail; any other name, the file beside its parent, or for a bundled parent the bundled runbook of that name.
     */
    public static Optional<RunbookSources.Source> child(String parentFile, String ref) throws InvalidFileException {
        Optional<String> name = bundledName(ref).or(() -> parentFile.startsWith(PREFIX)
                && NAMES.contains(ref) ? Optional.of(ref) : Optional.empty());
        if (name.isPresent()) {
            return Optional.of(new RunbookSources.Source(PREFIX + name.get(), bytes(name.get())));
        }
        return parentFile.startsWith(PREFIX) ? Optional.empty() : RunbookLoader.beside(parentFile, ref);
    }

    /**
     * The runbook {@code file}, or the bundled one that {@code bundled:NAME} names, parsed and checked
     * by {@code loader}.
     */
    public static Runbook fileOrBundled(RunbookLoader loader, Path file) throws InvalidFileException {
        Optional<String> name = bundledName(file.toString());
        return name.isPresent() ? load(loader, name.get()) : loader.load(file);
    }

    /** The name of the bundled runbook that {@code file} names as {@code bundled:NAME}, if it does. */
    private static Optional<String> bundledName(String name) {
        return name.startsWith(PREFIX) && NAMES.contains(name.substring(PREFIX.length()))
                ? Optional.of(name.substring(PREFIX.length())) : Optional.empty();
    }

    /** The IAM actions the bundled runbooks' steps call, as {@code gafail iam-policy} lists them. */
    public static SortedSet<String> iamActions() {
        ActionRegistry stepTypes = BuiltinActions.registry(() -> {
            throw new IllegalStateException("reading the IAM actions runs no step");
        });
        RunbookLoader loader = new RunbookLoader(stepTypes, new Expressions(), BundledRunbooks::child);
        SortedSet<String> actions = new TreeSet<>();
        for (String name : NAMES) {
            try {
                load(loader, name).everyStep().forEach(step -> actions.addAll(stepTypes.iamActions(step)));
            } catch (InvalidFileException e) {
                throw new IllegalStateException("the bundled runbook " + name + " is invalid: " + e.getMessage(), e);
            }
        }
        return actions;
    }
}

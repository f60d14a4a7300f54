package dev.gafail.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The lab that tests start must be this checkout's build. Maven run on cli alone ({@code -pl cli} without
 * {@code -am}) takes gafail-lab and gafail-servers from ~/.m2, where some checkout's {@code mvn install} left
 * whatever build it had (its s3mock.properties even names that checkout's S3Mock); the lab tests would then
 * test that lab, passing or failing for reasons this checkout does not hold.
 */
public final class ThisCheckout {

    private ThisCheckout() {
    }

    /** Fails, in one line naming where it came from, unless each class was loaded from under the repository. */
    public static void require(Class<?>... classes) {
        Path repository = real(Resources.repository());
        for (Class<?> type : classes) {
            Path origin = origin(type);
            if (!origin.startsWith(repository)) {
                throw new IllegalStateException(type.getName() + " comes from " + origin + ", not from this checkout ("
                        + repository + "): the tests would run another build of it; build and test with the"
                        + " reactor, e.g. mvn -o -pl cli -am test -Dtest=... -Dsurefire.failIfNoSpecifiedTests=false");
            }
        }
    }

    /** The jar or class folder {@code type} was loaded from. */
    static Path origin(Class<?> type) {
        try {
            return real(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the code source of " + type.getName(), e);
        }
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

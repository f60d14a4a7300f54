package dev.gafail.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.lab.Lab;
import dev.gafail.servers.os.Trees;
import org.junit.jupiter.api.Test;

class ThisCheckoutTest {

    @Test
    void theLabAndItsServersOnTheTestClassPathAreThisCheckoutsBuild() throws Exception {
        ThisCheckout.require(Lab.class, Trees.class);
        assertTrue(ThisCheckout.origin(Lab.class).startsWith(Resources.repository().resolve("infra/local/target")
                .toRealPath()), ThisCheckout.origin(Lab.class).toString());
    }

    @Test
    void aClassFromAJarOutsideTheCheckoutIsRefusedInOneLineNamingTheJarAndTheReactorCommand() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ThisCheckout.require(Test.class));
        String line = e.getMessage();
        assertTrue(line.startsWith("org.junit.jupiter.api.Test comes from " + ThisCheckout.origin(Test.class)
                + ", not from this checkout"), line);
        assertTrue(line.contains("mvn -o -pl cli -am test"), line);
        assertEquals(1, line.lines().count(), line);
    }
}

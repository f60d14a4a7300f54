package dev.gafail.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConfigTest {

    private static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "8080");
        env.put("REGION", "region-a");
        env.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/notes");
        env.put("DATABASE_USER", "notes");
        env.put("DATABASE_PASSWORD", "hunter2-hunter2");
        env.put("AUTH_JWT_SECRET", Client.SECRET);
        return env;
    }

    private static String problem(String name, String value) {
        Map<String, String> env = valid();
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return assertThrows(Config.InvalidSetting.class, () -> Config.fromEnvironment(env)).getMessage();
    }

    @Test
    void eachBadSettingIsNamedInOneLine() {
        assertEquals("PORT: missing", problem("PORT", null));
        assertEquals("PORT: 'http' is not a port number (0-65535)", problem("PORT", "http"));
        assertEquals("REGION: 'Region A' is not a region name such as region-a", problem("REGION", "Region A"));
        assertEquals("DATABASE_URL: expected jdbc:postgresql://HOST:PORT/DATABASE",
                problem("DATABASE_URL", "postgres://x"));
        assertEquals("DATABASE_USER: missing", problem("DATABASE_USER", ""));
        assertEquals("DATABASE_WRITER_URL: expected jdbc:postgresql://HOST:PORT/DATABASE",
                problem("DATABASE_WRITER_URL", "writer.cluster-xyz.global-abc.global.rds.amazonaws.com"));
        assertEquals("WRITE_WAIT_SECONDS: '5s' is not a number of seconds (0-3600)", problem("WRITE_WAIT_SECONDS", "5s"));
        assertEquals("CACHE_TTL_SECONDS: '-1' is not a number of seconds (0-3600)", problem("CACHE_TTL_SECONDS", "-1"));
        assertEquals("VALKEY_URL: expected redis://HOST:PORT", problem("VALKEY_URL", "valkey.local"));
        assertEquals("AUTH_JWT_SECRET: HS256 needs at least 32 bytes; got 5", problem("AUTH_JWT_SECRET", "short"));
    }

    @Test
    void secretsStayOutOfItsDescription() {
        String text = Config.fromEnvironment(valid()).toString();

        assertFalse(text.contains("hunter2"), text);
        assertFalse(text.contains(Client.SECRET), text);
    }

    @Test
    void theProcessRefusesToStartWithOneLineAndExit2() throws Exception {
        Map<String, String> env = valid();
        env.remove("AUTH_JWT_SECRET");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.gafail.sample.Main")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(2, process.exitValue());
        assertEquals("sample-api: AUTH_JWT_SECRET: missing\n", output);
    }
}

package dev.gafail.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each spelling gafail gives a secret value is masked; text that only resembles one is left alone. */
class RedactorTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "waited 1s300ms|waited ***",
            "{\"duration\":\"PT1.3S\"}|{\"duration\":\"***\"}",
            "pause  1.3s|pause  ***",
            "hold 1s300ms.|hold ***.",
            "1s3000ms and 21s300ms|1s3000ms and 21s300ms"})
    void aDurationIsMaskedInEverySpellingAsAWholeToken(String text, String masked) {
        assertEquals(masked, Redactor.of(List.of(Duration.ofMillis(1300))).text(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "pin 987654|pin ***",
            "pin=987654, then|pin=***, then",
            "1987654 and 9876540 and 98765.4|1987654 and 9876540 and 98765.4"})
    void aNumberIsMaskedOnlyAsAWholeNumber(String text, String masked) {
        assertEquals(masked, Redactor.of(List.of(987654L)).text(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Bearer to\"k en\\x|Bearer ***",
            "{\"message\":\"token to\\\"k en\\\\x\"}|{\"message\":\"token ***\"}",
            "http://h/?t=to%22k+en%5Cx&u=1|http://h/?t=***&u=1",
            "http://h/to%22k%20en%5Cx/|http://h/***/",
            "prefixto\"k en\\xsuffix|prefix***suffix"})
    void aTextIsMaskedWhereverItAppearsAsItIsJsonEscapedAndUrlEncoded(String text, String masked) {
        assertEquals(masked, Redactor.of(List.of("to\"k en\\x")).text(text));
    }

    @Test
    void aSecretThatContainsAnotherIsMaskedWhole() {
        assertEquals("*** and ***", Redactor.of(List.of("abc", "abcdef")).text("abcdef and abc"));
    }

    @Test
    void secretsLearntLaterAddToThoseKnown() {
        Redactor both = Redactor.NONE.plus(Redactor.of(List.of("first-secret"))).plus(Redactor.of(List.of(42L)));
        assertEquals("*** *** 420", both.text("first-secret 42 420"));
    }

    @Test
    void anEventsTextsAndStepNumbersThatSpellASecretAreMaskedButNotItsFieldNamesNorGafailsOwnFields() {
        Event event = Event.ofExecution(EventType.NOTICE, "x", Instant.EPOCH, "pin 987654",
                Map.of("pid", 987654L, "outputs", Map.of("pin", 987654L, "other", 7L), "nested",
                        List.of("a 987654 b")));
        Event masked = Redactor.of(List.of(987654L)).redact(event);
        assertEquals("pin ***", masked.message());
        assertEquals(Map.of("pid", 987654L, "outputs", Map.of("pin", "***", "other", 7L), "nested",
                List.of("a *** b")), masked.data(), "a pid that equals a secret int is still a pid");
    }

    @Test
    void eachLineOfAMultiLineSecretIsMaskedForOutputThatArrivesLineByLine() {
        String key = "-----BEGIN KEY-----\nMIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8\n-----END KEY-----";
        Redactor redactor = Redactor.of(List.of(key));
        assertEquals("key: ***", redactor.text("key: " + key));
        for (String line : key.split("\n")) {
            assertEquals("> ***", redactor.text("> " + line), line);
        }
    }
}

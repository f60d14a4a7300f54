package dev.gafail.lab.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the lab's Data API turns ExecuteStatement's {@code :name} parameters into JDBC's. */
class LabDataApiTest {

    @Test
    void namedParametersBecomeQuestionMarksInOrderAndCastsAndQuotedTextStay() {
        LabDataApi.NamedParameters named = LabDataApi.NamedParameters.of(
                "select n::text, ':quoted' from notes n where id = :id and owner = :owner_1 and t <= cast(:id as text)");

        assertEquals("select n::text, ':quoted' from notes n where id = ? and owner = ? and t <= cast(? as text)",
                named.jdbc());
        assertEquals(List.of("id", "owner_1", "id"), named.names());
    }

    @Test
    void aColonBeforeADigitOrAtTheEndIsText() {
        LabDataApi.NamedParameters named = LabDataApi.NamedParameters.of("select '10:30', 1 :");

        assertEquals("select '10:30', 1 :", named.jdbc());
        assertEquals(List.of(), named.names());
    }
}

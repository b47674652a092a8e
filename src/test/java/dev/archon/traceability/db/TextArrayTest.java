package dev.archon.traceability.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archon.traceability.support.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text arrays written as literals come back from PostgreSQL element for element, whatever their characters. */
class TextArrayTest {

    @Test
    void everyElementRoundTripsThroughUnnest() throws Exception {
        String db = TestPostgres.server().createDatabase();
        List<String> values = Arrays.asList("plain", "", null, "NULL", "with \"quotes\"", "back\\slash\\\\",
                "{braces},commas", "new\nline\ttab", "unicode: é ✓ 😀", " spaced ", "\\\"mixed\"\\",
                "x".repeat(200_000));
        try (Connection c = TestPostgres.connect(db);
             PreparedStatement ps = c.prepareStatement("SELECT v FROM unnest(?::text[]) WITH ORDINALITY AS t(v, i)"
                     + " ORDER BY i")) {
            SqlArrays.bind(ps, 1, "text", values, v -> v);
            List<String> back = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    back.add(rs.getString(1));
                }
            }
            assertThat(back).isEqualTo(values);
        } finally {
            TestPostgres.server().dropDatabaseAt(db);
        }
    }
}

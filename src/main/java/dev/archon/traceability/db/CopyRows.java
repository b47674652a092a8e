package dev.archon.traceability.db;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import org.postgresql.PGConnection;

/**
 * Writes rows with {@code COPY ... FROM STDIN} (text format) in the caller's transaction: one exchange, and less work
 * for the database per row than {@code INSERT ... SELECT FROM unnest(...)} of the same rows (no array literals to
 * parse, no projection). For tables written without {@code ON CONFLICT}.
 */
public final class CopyRows {

    private CopyRows() {
    }

    /** Copies one line per row, the columns in the order {@code copySql} names them; returns the rows written. */
    @SafeVarargs
    public static <T> long copy(Connection c, String copySql, List<T> rows, Function<T, Object>... columns)
            throws SQLException {
        StringBuilder text = new StringBuilder(rows.size() * 64 * columns.length);
        for (T row : rows) {
            for (int i = 0; i < columns.length; i++) {
                if (i > 0) {
                    text.append('\t');
                }
                field(text, columns[i].apply(row));
            }
            text.append('\n');
        }
        try {
            return c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql, new StringReader(text.toString()));
        } catch (IOException e) {
            throw new SQLException("COPY failed: " + e.getMessage(), "08006", e);
        }
    }

    /** A value in COPY's text format: \N for null; backslash, tab, newline and carriage return escaped. */
    static void field(StringBuilder text, Object value) {
        if (value == null) {
            text.append("\\N");
            return;
        }
        String s = value.toString();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(ch);
            }
        }
    }
}

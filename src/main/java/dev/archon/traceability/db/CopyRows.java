package dev.archon.traceability.db;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes rows with {@code COPY ... FROM STDIN} (text format) in the caller's transaction: one exchange, and less work
 * for the database per row than {@code INSERT ... SELECT FROM unnest(...)} of the same rows (no array literals to
 * parse, no projection). For tables written without {@code ON CONFLICT}. The rows go out in chunks as they are
 * encoded, so the database stores one chunk while the next is encoded (encoding is about a tenth of a large ingest
 * commit's time: BENCHMARKS.md).
 */
public final class CopyRows {

    /** Characters encoded before they are sent: a few hundred rows. */
    static final int CHUNK = 64 * 1024;

    private CopyRows() {
    }

    /** Copies one line per row, the columns in the order {@code copySql} names them; returns the rows written. */
    @SafeVarargs
    public static <T> long copy(Connection c, String copySql, List<T> rows, Function<T, Object>... columns)
            throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            StringBuilder text = new StringBuilder(CHUNK + 4096);
            for (T row : rows) {
                for (int i = 0; i < columns.length; i++) {
                    if (i > 0) {
                        text.append('\t');
                    }
                    field(text, columns[i].apply(row));
                }
                text.append('\n');
                if (text.length() >= CHUNK) {
                    send(copy, text);
                }
            }
            send(copy, text);
            return copy.endCopy();
        } catch (SQLException | RuntimeException e) {
            // a value that failed to encode, or a row the database refused: the connection must leave COPY mode
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel);
                }
            }
            throw e;
        }
    }

    /** Sends the encoded rows (whole lines) and empties the buffer. */
    private static void send(CopyIn copy, StringBuilder text) throws SQLException {
        if (text.length() > 0) {
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8); // the driver's client_encoding
            copy.writeToCopy(bytes, 0, bytes.length);
            text.setLength(0);
        }
    }

    /** A value in COPY's text format: \N for null; backslash, tab, newline and carriage return escaped. */
    private static void field(StringBuilder text, Object value) {
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

package dev.archon.traceability.db;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * Binds a column of values as one PostgreSQL array parameter, so a whole batch is written by a single
 * {@code INSERT ... SELECT FROM unnest(?, ?, ...)} round trip.
 */
public final class SqlArrays {

    private SqlArrays() {
    }

    public static <T> void bind(PreparedStatement ps, int index, String sqlType, List<T> rows,
                                Function<T, Object> column) throws SQLException {
        ps.setArray(index, array(ps.getConnection(), sqlType, rows, column));
    }

    /** One column of {@code rows} as a PostgreSQL array of {@code sqlType}. */
    public static <T> Array array(Connection c, String sqlType, List<T> rows, Function<T, Object> column)
            throws SQLException {
        Object[] values = new Object[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return sqlType.equals("text") ? new TextArray(values) : c.createArrayOf(sqlType, values);
    }
}

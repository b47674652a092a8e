package dev.archon.traceability.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The columns a batch writes into one table, each with its SQL type and where its value comes from, and the two ways
 * to write such rows: in a {@link Pipeline} as one {@code INSERT ... SELECT FROM unnest(...)} (no extra round trip:
 * right for a few rows), or with {@link CopyRows} (an exchange of its own, less work for the database per row: right
 * for many).
 */
public final class TableRows<T> {

    /** A column: its name in the table, its SQL type, and its value for a row. */
    public record Column<T>(String name, String type, Function<T, Object> value) {
    }

    /** Types whose arrays bind directly; other values travel as text and are cast. */
    private static final Set<String> ARRAY_TYPES = Set.of("uuid", "int4", "float8", "text");

    private final List<Column<T>> columns;
    private final String copySql;
    private final String insertSql;

    @SafeVarargs
    public TableRows(String table, Column<T>... columns) {
        this.columns = List.of(columns);
        String names = this.columns.stream().map(Column::name).collect(Collectors.joining(", "));
        this.copySql = "COPY " + table + " (" + names + ") FROM STDIN";
        this.insertSql = "INSERT INTO " + table + " (" + names + ") SELECT "
                + IntStream.range(0, columns.length).mapToObj(i -> "t.c" + i + "::" + columns[i].type())
                        .collect(Collectors.joining(", "))
                + " FROM unnest("
                + this.columns.stream().map(c -> "?::" + arrayType(c) + "[]").collect(Collectors.joining(", "))
                + ") AS t(" + IntStream.range(0, columns.length).mapToObj(i -> "c" + i)
                        .collect(Collectors.joining(", ")) + ")";
    }

    /** Adds the rows' INSERT to the pipeline. */
    public void insert(Pipeline p, List<T> rows) throws SQLException {
        p.update(insertSql, arrays(p, rows));
    }

    /**
     * Adds the rows' INSERT to the pipeline, skipping a row that conflicts with one stored: the step's update count
     * is the number of new rows.
     */
    public void insertSkippingConflicts(Pipeline p, List<T> rows) throws SQLException {
        p.update(insertSql + " ON CONFLICT DO NOTHING", arrays(p, rows));
    }

    private Object[] arrays(Pipeline p, List<T> rows) throws SQLException {
        Object[] arrays = new Object[columns.size()];
        for (int i = 0; i < arrays.length; i++) {
            Column<T> c = columns.get(i);
            Function<T, Object> value = arrayType(c).equals(c.type()) ? c.value()
                    : row -> text(c.value().apply(row));
            arrays[i] = p.array(arrayType(c), rows, value);
        }
        return arrays;
    }

    /** Writes the rows with COPY, now, in the connection's transaction. */
    @SuppressWarnings("unchecked")
    public void copy(Connection c, List<T> rows) throws SQLException {
        CopyRows.copy(c, copySql, rows, columns.stream().map(Column::value).toArray(Function[]::new));
    }

    private static String arrayType(Column<?> c) {
        return ARRAY_TYPES.contains(c.type()) ? c.type() : "text";
    }

    private static Object text(Object value) {
        return value == null ? null : value.toString();
    }
}

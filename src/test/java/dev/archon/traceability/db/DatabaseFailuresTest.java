package dev.archon.traceability.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The one classifier of database failures, by SQLState, also when the failure is wrapped. */
class DatabaseFailuresTest {

    private static SQLException state(String sqlState) {
        return new SQLException("failed", sqlState);
    }

    @Test
    void theDatabasesFailuresAreUnavailableTheInputsAreNot() {
        for (String s : new String[] {"08006", "57P01", "57014", "25006", "53100", "55P03", "58030"}) {
            assertThat(DatabaseFailures.isUnavailable(new CompletionException(new RuntimeException(state(s)))))
                    .as(s).isTrue();
        }
        assertThat(DatabaseFailures.isUnavailable(new SQLTransientConnectionException("pool timed out"))).isTrue();
        for (String s : new String[] {"23505", "22P02", "42P01", "40001"}) {
            assertThat(DatabaseFailures.isUnavailable(state(s))).as(s).isFalse();
        }
    }

    @Test
    void onlyACancelledStatementIsCancelled() {
        assertThat(DatabaseFailures.isCancelled(new RuntimeException(state("57014")))).isTrue();
        assertThat(DatabaseFailures.isCancelled(state("57P01"))).isFalse();
        assertThat(DatabaseFailures.isCancelled(new RuntimeException("no SQL"))).isFalse();
    }

    @Test
    void aMissingTableOrOneOfOurFunctionsIsNamed() {
        SQLException undefined = new SQLException("ERROR: relation \"hook_executions\" does not exist", "42P01");
        assertThat(DatabaseFailures.missingObject(new RuntimeException(undefined))).contains("table hook_executions");
        assertThat(DatabaseFailures.missingObject(state("08006"))).isEmpty();
        // DROP TABLE hook_executions CASCADE drops the functions returning its rows
        SQLException dropped = new SQLException("ERROR: function hook_executions_page(pattern_id => uuid, page_rows =>"
                + " integer) does not exist", "42883");
        assertThat(DatabaseFailures.missingObject(dropped)).contains("function hook_executions_page");
        // a built-in function called with the wrong types is a bug, not a missing schema
        assertThat(DatabaseFailures.missingObject(new SQLException("ERROR: function lower(integer) does not exist",
                "42883"))).isEmpty();
    }
}

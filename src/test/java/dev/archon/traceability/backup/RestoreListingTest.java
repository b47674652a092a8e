package dev.archon.traceability.backup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which tables a full restore replaces: those its dump holds, read from pg_restore --list. */
class RestoreListingTest {

    @Test
    void aDumpMadeBeforeATableExistedLeavesThatTableAlone() {
        // as pg_restore --list prints a dump of the tables before migration V10 (no feedback tables)
        String listing = """
                ;
                ; Archive created at 2026-11-27 02:00:01 UTC
                ;
                214; 1259 90982 TABLE public lineage_nodes postgres
                215; 1259 90985 TABLE public lineage_edges postgres
                216; 1259 90988 TABLE public lineage_events postgres
                217; 1259 90991 TABLE public lineage_events_archive postgres
                218; 1259 90994 TABLE public hook_executions postgres
                219; 1259 90997 TABLE public lineage_event_keys postgres
                220; 1259 91000 TABLE public hook_execution_keys postgres
                3346; 0 90982 TABLE DATA public lineage_nodes postgres
                3350; 0 91003 TABLE DATA public pattern_feedback_look_alike postgres
                """;
        assertThat(RestoreJob.dumpedTables(listing)).containsExactly("lineage_nodes", "lineage_edges",
                "lineage_events", "lineage_events_archive", "hook_executions", "lineage_event_keys",
                "hook_execution_keys");
        String withFeedback = listing + "221; 1259 91003 TABLE public pattern_feedback postgres\n"
                + "222; 1259 91006 TABLE public feedback_workflows postgres\n";
        assertThat(RestoreJob.dumpedTables(withFeedback)).contains("pattern_feedback", "feedback_workflows")
                .doesNotContain("feedback_proposals");
    }
}

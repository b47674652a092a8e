package dev.archon.traceability.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.ingest.InboxRecords.Record;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reject report of one file: hidden while written, published under its final names, dropped if not. */
class InboxRejectsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_123L), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void publishedReportsHoldTheRawRecordsAndTheReasonsWithTheTallies() throws IOException {
        Path error = dir.resolve(".error");
        try (InboxRejects rejects = new InboxRejects(error, "f.ndjson", CLOCK)) {
            rejects.add(record(2, "{bad"), Problem.invalid("", "malformed"));
            rejects.add(record(3, "{\"x\":1}"), new Problem(ErrorCode.INVALID_PATTERN_ID, "parent_pattern_ids[0]",
                    "unknown"));
            assertThat(listing(error)).containsExactlyInAnyOrder(".f.ndjson.rejects.ndjson.tmp",
                    ".f.ndjson.errors.json.tmp");

            Tally tally = new Tally();
            tally.stored();
            tally.duplicate();
            tally.rejected();
            tally.rejected();
            rejects.publish(4, tally);
        }

        assertThat(listing(error)).containsExactlyInAnyOrder("f.ndjson.rejects.ndjson", "f.ndjson.errors.json");
        assertThat(Files.readAllLines(error.resolve("f.ndjson.rejects.ndjson"))).containsExactly("{bad", "{\"x\":1}");
        assertThat(Files.readString(error.resolve("f.ndjson.errors.json"))).isEqualTo("{\"file\":\"f.ndjson\","
                + "\"errors\":[{\"line\":2,\"code\":\"VALIDATION_FAILED\",\"reason\":\"malformed\"},"
                + "{\"line\":3,\"code\":\"INVALID_PATTERN_ID\",\"field\":\"parent_pattern_ids[0]\","
                + "\"reason\":\"unknown\"}],\"records\":4,\"stored\":1,\"duplicates\":1,\"rejected\":2}");
    }

    @Test
    void aLaterFileOfTheSameNameIsReportedBesideTheFirst() throws IOException {
        Path error = dir.resolve(".error");
        for (int i = 0; i < 2; i++) {
            try (InboxRejects rejects = new InboxRejects(error, "f.ndjson", CLOCK)) {
                rejects.add(record(1, "{bad"), Problem.invalid("", "malformed"));
                rejects.publish(1, new Tally());
            }
        }

        assertThat(listing(error)).containsExactlyInAnyOrder("f.ndjson.rejects.ndjson", "f.ndjson.errors.json",
                "f.ndjson.1700000000123.rejects.ndjson", "f.ndjson.1700000000123.errors.json");
    }

    @Test
    void notPublishedLeavesNothing() throws IOException {
        Path error = dir.resolve(".error");
        try (InboxRejects rejects = new InboxRejects(error, "f.ndjson", CLOCK)) {
            rejects.add(record(1, "{bad"), Problem.invalid("", "malformed"));
        }
        assertThat(listing(error)).isEmpty();

        try (InboxRejects rejects = new InboxRejects(error, "clean.ndjson", CLOCK)) {
            rejects.publish(3, new Tally());
        }
        assertThat(listing(error)).isEmpty();
    }

    private static Record record(long line, String raw) {
        return new Record(line, line, raw, null, null);
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}

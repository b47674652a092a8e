package dev.archon.traceability.ingest;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Moves out of the inbox never overwrite, and an unreadable file's report is complete when it appears. */
class InboxFoldersTest {

    private static final Instant NOW = Instant.ofEpochMilli(1_700_000_000_123L);

    private final InboxFolders folders = new InboxFolders(Clock.fixed(NOW, ZoneOffset.UTC));

    @TempDir
    Path inbox;

    @Test
    void aFileOfAnExistingNameGoesBesideItInDone() throws IOException {
        Path first = folders.toDone(Files.writeString(inbox.resolve("f.ndjson"), "first"));
        Path second = folders.toDone(Files.writeString(inbox.resolve("f.ndjson"), "second"));

        assertThat(first).isEqualTo(inbox.resolve(".done/f.ndjson")).hasContent("first");
        assertThat(second).isEqualTo(inbox.resolve(".done/f.ndjson.1700000000123")).hasContent("second");
        assertThat(listing(inbox)).containsExactly(".done");
    }

    @Test
    void anUnreadableFileGoesToErrorWithItsReport() throws IOException {
        Files.createDirectories(inbox.resolve(".error"));
        Files.writeString(inbox.resolve(".error/f.json"), "an earlier f.json");

        Path moved = folders.toError(Files.writeString(inbox.resolve("f.json"), "[{"), "malformed JSON");

        assertThat(moved).isEqualTo(inbox.resolve(".error/f.json.1700000000123")).hasContent("[{");
        assertThat(listing(inbox.resolve(".error"))).containsExactlyInAnyOrder("f.json", "f.json.1700000000123",
                "f.json.1700000000123.errors.json");
        assertThat(inbox.resolve(".error/f.json.1700000000123.errors.json")).hasContent("{\"file\":\"f.json\","
                + "\"moved_to\":\"f.json.1700000000123\",\"status\":\"unreadable\",\"reason\":\"malformed JSON\","
                + "\"at\":\"2023-11-14T22:13:20.123Z\"}");
        assertThat(InboxFolders.errorDir(inbox.resolve("f.json"))).isEqualTo(inbox.resolve(".error"));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}

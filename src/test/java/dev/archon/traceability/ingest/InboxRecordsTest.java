package dev.archon.traceability.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archon.traceability.ingest.InboxRecords.Record;
import dev.archon.traceability.ingest.InboxRecords.UnreadableFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inbox file formats read from a temporary file, and the whole-file check before any record is read. */
class InboxRecordsTest {

    @TempDir
    Path dir;

    @Test
    void ndjsonLinesKeepTheirNumbersSkipBlanksAndBoundTheirLength() throws IOException {
        Path file = write("records.ndjson", "{\"a\":1}\r\n\n   \n{\"a\":\n{\"long\":\"0123456789\"}\n{\"b\":2}");

        List<Record> records = readAll(file, 16);

        assertThat(records).extracting(Record::position).containsExactly(1L, 4L, 5L, 6L);
        assertThat(records).extracting(Record::line).containsExactly(1L, 4L, 5L, 6L);
        assertThat(records.get(0).raw()).isEqualTo("{\"a\":1}");
        assertThat(records.get(0).json().path("a").asInt()).isEqualTo(1);
        assertThat(records.get(0).failure()).isNull();
        assertThat(records.get(1).json()).isNull();
        assertThat(records.get(1).failure()).startsWith("malformed JSON at line 4, column "); // the file's line
        assertThat(records.get(2).raw()).isEqualTo("{\"long\":\"0123456");
        assertThat(records.get(2).failure())
                .isEqualTo("line longer than 16 bytes; only its first 16 bytes are kept in the rejects file");
        assertThat(records.get(3).json().path("b").asInt()).isEqualTo(2);
    }

    @Test
    void jsonArrayOnOneLineNumbersItsElementsByPosition() throws IOException {
        List<Record> records = readAll(write("compact.json", "[{\"a\":1},{\"b\":2}]"), 16);

        assertThat(records).extracting(Record::position).containsExactly(1L, 2L);
        assertThat(records).extracting(Record::line).containsExactly(1L, 1L);
        assertThat(records).extracting(Record::raw).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(records).extracting(Record::failure).containsOnlyNulls();
    }

    @Test
    void jsonArrayOverLinesKeepsTheLineWhereEachElementStarts() throws IOException {
        List<Record> records = readAll(write("array.json", "[\n{\"a\":1},\n{\"b\":\n2}\n]\n"), 16);

        assertThat(records).extracting(Record::position).containsExactly(1L, 2L);
        assertThat(records).extracting(Record::line).containsExactly(2L, 3L);
        assertThat(records.get(1).raw()).isEqualTo("{\"b\":2}");
    }

    @Test
    void jsonSingleObjectIsOneRecordAndAnEmptyArrayNone() throws IOException {
        List<Record> single = readAll(write("single.json", "{\"a\":1}"), 16);
        assertThat(single).extracting(Record::position).containsExactly(1L);
        assertThat(single.get(0).json().path("a").asInt()).isEqualTo(1);

        assertThat(readAll(write("empty.json", "[]"), 16)).isEmpty();
    }

    @Test
    void checkReadableGivesTheSha256OfTheContent() throws Exception {
        String content = "{\"a\":1}\n{\"b\":2}\n";
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(content.getBytes(StandardCharsets.UTF_8)));

        assertThat(InboxRecords.checkReadable(write("records.ndjson", content))).isEqualTo(expected);
        assertThat(InboxRecords.checkReadable(write("records.jsonl", content))).isEqualTo(expected);
        assertThat(InboxRecords.checkReadable(write("array.json", "[{\"a\":1}]"))).hasSize(64);
    }

    @Test
    void jsonFileThatIsNotOneWellFormedValueIsUnreadable() throws IOException {
        assertUnreadable(write("truncated.json", "[{\"a\":1},\n{\"b\": \"x"), "malformed JSON at line 2");
        assertUnreadable(write("empty.json", ""),
                "a .json file must hold one JSON object or an array of them; the file is empty");
        assertUnreadable(write("number.json", "42"),
                "a .json file must hold one JSON object or an array of them, found VALUE_NUMBER_INT");
        assertUnreadable(write("lines.json", "{\"a\":1}\n{\"b\":2}\n"),
                "content after the JSON value at line 2; for one record per line use .ndjson");
        assertUnreadable(dir.resolve("missing.ndjson"), "cannot read the file: ");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static List<Record> readAll(Path file, int maxLineBytes) throws IOException {
        List<Record> out = new ArrayList<>();
        try (InboxRecords records = InboxRecords.open(file, maxLineBytes)) {
            for (Record r = records.next(); r != null; r = records.next()) {
                out.add(r);
            }
        }
        return out;
    }

    private static void assertUnreadable(Path file, String messageStart) {
        assertThatThrownBy(() -> InboxRecords.checkReadable(file))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessageStartingWith(messageStart);
    }
}

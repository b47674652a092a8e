package dev.archon.traceability.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.ingest.InboxRecords.Record;
import dev.archon.traceability.json.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Map;

/**
 * Rejected records of one file, written as they come (temporary names until the file is done):
 * the raw records to {@code <file>.rejects.ndjson}, the reasons to {@code <file>.errors.json}.
 */
final class InboxRejects implements AutoCloseable {

    private final Path dir;
    private final String name;
    private final Clock clock;
    private Path rejectsTmp;
    private Path errorsTmp;
    private OutputStream rejects;
    private JsonGenerator errors;

    /** The reports of file {@code name}, in {@code dir} ({@code .error/}, created at the first reject). */
    InboxRejects(Path dir, String name, Clock clock) {
        this.dir = dir;
        this.name = name;
        this.clock = clock;
    }

    /** The raw record to the rejects, its line and {@code problem} (code, field, reason) to the errors. */
    void add(Record r, Problem problem) throws IOException {
        if (rejects == null) {
            Files.createDirectories(dir);
            rejectsTmp = dir.resolve("." + name + ".rejects.ndjson.tmp");
            errorsTmp = dir.resolve("." + name + ".errors.json.tmp");
            rejects = new BufferedOutputStream(Files.newOutputStream(rejectsTmp));
            errors = Json.mapper().getFactory().createGenerator(Files.newOutputStream(errorsTmp));
            errors.writeStartObject();
            errors.writeStringField("file", name);
            errors.writeArrayFieldStart("errors");
        }
        rejects.write(r.raw().getBytes(StandardCharsets.UTF_8));
        rejects.write('\n');
        errors.writeStartObject();
        errors.writeNumberField("line", r.line());
        writeFields(problem.asMap());
        errors.writeEndObject();
    }

    /**
     * The file is done: close the reports, the errors ending with its {@code records} and tallies, and publish them
     * under their final names (beside, not over, the reports of an earlier file of the same name).
     */
    void publish(long records, Tally tally) throws IOException {
        if (rejects == null) {
            return;
        }
        errors.writeEndArray();
        errors.writeNumberField("records", records);
        writeFields(tally.asMap());
        errors.writeEndObject();
        closeStreams();
        Path rejectsFile = dir.resolve(name + ".rejects.ndjson");
        Path errorsFile = dir.resolve(name + ".errors.json");
        if (Files.exists(rejectsFile) || Files.exists(errorsFile)) {
            String suffix = "." + clock.millis();
            rejectsFile = dir.resolve(name + suffix + ".rejects.ndjson");
            errorsFile = dir.resolve(name + suffix + ".errors.json");
        }
        Files.move(rejectsTmp, rejectsFile, StandardCopyOption.ATOMIC_MOVE);
        Files.move(errorsTmp, errorsFile, StandardCopyOption.ATOMIC_MOVE);
        rejectsTmp = null;
        errorsTmp = null;
    }

    private void writeFields(Map<String, Object> fields) throws IOException {
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            errors.writeObjectField(field.getKey(), field.getValue());
        }
    }

    private void closeStreams() throws IOException {
        if (rejects != null) {
            rejects.close();
            errors.close();
            rejects = null;
        }
    }

    /** Not published (the file stays for a retry): drop the partial reports. */
    @Override
    public void close() throws IOException {
        closeStreams();
        if (rejectsTmp != null) {
            Files.deleteIfExists(rejectsTmp);
            Files.deleteIfExists(errorsTmp);
        }
    }
}

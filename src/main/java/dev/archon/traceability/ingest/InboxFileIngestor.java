package dev.archon.traceability.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.archon.traceability.errors.DatabaseUnavailableException;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.executions.HookExecution;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.lineage.LineageEvent;
import dev.archon.traceability.lineage.LineageTracker.Outcome;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one file from a watched folder: NDJSON ({@code .ndjson}, {@code .jsonl}: one record per line) or JSON
 * ({@code .json}: one object or an array of them), read as a stream and committed in slices, so memory stays flat
 * whatever the file's size.
 * <ul>
 * <li>Valid records land; a record that fails validation (or is refused, e.g. an unknown parent) is copied to
 * {@code .error/<file>.rejects.ndjson} and explained in {@code .error/<file>.errors.json} (line, code, field,
 * reason). After its last slice is committed the file moves to {@code .done/}.</li>
 * <li>A file that cannot be read as a whole (unreadable, or a .json that is not well-formed) moves to
 * {@code .error/} with its {@code .errors.json}, and nothing of it is stored.</li>
 * <li>A record without its own event_id/execution_id gets one derived from the file's SHA-256 and its line number,
 * so a file read again after a crash, or dropped again later, stores nothing twice; a file whose content was
 * already ingested goes straight to {@code .done/}.</li>
 * <li>If the database is unavailable the file stays where it is (nothing is moved) and is read again later.</li>
 * </ul>
 */
public final class InboxFileIngestor {

    private static final Logger LOG = LoggerFactory.getLogger(InboxFileIngestor.class);
    private static final int IN_FLIGHT = 2;

    private final DataSource dataSource;
    private final EventReader reader;
    private final GroupCommitWriter writer;
    private final IngestMetrics metrics;
    private final int sliceSize;
    private final int maxLineBytes;
    private final Clock clock;

    public InboxFileIngestor(DataSource dataSource, EventReader reader, GroupCommitWriter writer,
                             IngestMetrics metrics, int sliceSize, int maxLineBytes, Clock clock) {
        this.dataSource = dataSource;
        this.reader = reader;
        this.writer = writer;
        this.metrics = metrics;
        this.sliceSize = sliceSize;
        this.maxLineBytes = maxLineBytes;
        this.clock = clock;
    }

    /** Ingests {@code path} from the inbox of {@code kind} (lineage or executions); returns what happened. */
    public Map<String, Object> ingest(String path, String kind) throws IOException {
        boolean lineage = switch (kind) {
            case "lineage" -> true;
            case "executions" -> false;
            default -> throw new IllegalArgumentException("unknown inbox kind '" + kind + "'");
        };
        Path file = Path.of(path);
        String name = file.getFileName().toString();
        Path dir = file.getParent();

        String sha256;
        try {
            sha256 = checkReadable(file, name.endsWith(".json"));
        } catch (UnreadableFileException e) {
            return reject(file, dir, name, kind, e.getMessage());
        }
        if (alreadyIngested(sha256)) {
            Path done = moveTo(file, dir.resolve(".done"), name);
            LOG.info("Inbox file {} has the same content as a file already ingested; moved to {} without storing",
                    name, done);
            return summary(name, "already ingested", 0, 0, 0, 0);
        }
        try {
            return ingestRecords(file, dir, name, kind, lineage, sha256);
        } catch (DatabaseUnavailableException e) {
            throw e; // the file stays in the inbox and is read again later
        } catch (IOException | RuntimeException e) {
            LOG.error("Inbox file {} could not be ingested", name, e);
            return reject(file, dir, name, kind, "could not be ingested (" + e + "); records committed before"
                    + " this stay, and dropping the file again stores nothing twice");
        }
    }

    private Map<String, Object> ingestRecords(Path file, Path dir, String name, String kind, boolean lineage,
                                              String sha256) throws IOException {
        try (Rejects rejects = new Rejects(dir.resolve(".error"), name)) {
            Counts counts = new Counts();
            ArrayDeque<Slice> inFlight = new ArrayDeque<>();
            Slice slice = new Slice();
            try (Records records = name.endsWith(".json") ? new JsonRecords(file) : new LineRecords(file)) {
                Record r;
                while ((r = records.next()) != null) {
                    counts.lines++;
                    if (r.failure() != null) {
                        rejects.add(r, Problem.invalid("", r.failure()));
                        continue;
                    }
                    UUID derived = derivedId(sha256, r.position());
                    try {
                        if (lineage) {
                            slice.events.add(reader.lineage(r.json(), () -> derived));
                        } else {
                            slice.executions.add(reader.execution(r.json(), () -> derived));
                        }
                        slice.records.add(r);
                    } catch (ProblemException e) {
                        rejects.add(r, e.problem());
                    }
                    if (slice.records.size() >= sliceSize) {
                        submit(slice, inFlight, rejects, counts);
                        slice = new Slice();
                    }
                }
            }
            submit(slice, inFlight, rejects, counts);
            while (!inFlight.isEmpty()) {
                settle(inFlight.removeFirst(), rejects, counts);
            }
            counts.rejected = rejects.count;
            rejects.publish(counts); // before the file counts as ingested: a crash in between re-reads it
            record(sha256, kind, name, counts);
            Path done = moveTo(file, dir.resolve(".done"), name);
            metrics.items(lineage ? "lineage" : "execution", "file", Results.STORED, counts.stored);
            metrics.items(lineage ? "lineage" : "execution", "file", Results.DUPLICATE, counts.duplicates);
            metrics.items(lineage ? "lineage" : "execution", "file", Results.REJECTED, counts.rejected);
            LOG.info("Inbox file {}: {} records, {} stored, {} duplicate, {} rejected; moved to {}", name,
                    counts.lines, counts.stored, counts.duplicates, counts.rejected, done);
            return summary(name, "done", counts.lines, counts.stored, counts.duplicates, counts.rejected);
        }
    }

    /** SHA-256 of the content; for a .json file also checks, in the same pass, that it is well-formed JSON. */
    private String checkReadable(Path file, boolean wholeJson) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16),
                digest)) {
            if (wholeJson) {
                try (JsonParser p = Json.mapper().getFactory().createParser(in)) {
                    JsonToken first = p.nextToken();
                    if (first != JsonToken.START_ARRAY && first != JsonToken.START_OBJECT) {
                        throw new UnreadableFileException("a .json file must hold one JSON object or an array of"
                                + " them" + (first == null ? "; the file is empty" : ", found " + first));
                    }
                    p.skipChildren();
                    if (p.nextToken() != null) {
                        throw new UnreadableFileException("content after the JSON value at line "
                                + p.currentLocation().getLineNr() + "; for one record per line use .ndjson");
                    }
                } catch (JsonProcessingException e) {
                    throw new UnreadableFileException(Json.describe(e));
                }
            } else {
                in.transferTo(OutputStream.nullOutputStream());
            }
        } catch (IOException e) {
            if (e instanceof UnreadableFileException) {
                throw e;
            }
            throw new UnreadableFileException("cannot read the file: " + e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private void submit(Slice slice, ArrayDeque<Slice> inFlight, Rejects rejects, Counts counts) throws IOException {
        if (slice.records.isEmpty()) {
            return;
        }
        slice.result = writer.submit(slice.events, slice.executions);
        inFlight.addLast(slice);
        while (inFlight.size() >= IN_FLIGHT) {
            settle(inFlight.removeFirst(), rejects, counts);
        }
    }

    /** Waits for a slice's commit and counts its outcomes; refused records join the rejects. */
    private void settle(Slice slice, Rejects rejects, Counts counts) throws IOException {
        GroupCommitWriter.Result result;
        try {
            result = slice.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailableException("interrupted while waiting for the database", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
        for (int i = 0; i < slice.events.size(); i++) {
            Outcome o = result.lineage().get(i);
            if (o.rejected()) {
                rejects.add(slice.records.get(i), o.rejection());
            } else if (o.duplicate()) {
                counts.duplicates++;
            } else {
                counts.stored++;
            }
        }
        for (Boolean stored : result.executionsStored()) {
            if (stored) {
                counts.stored++;
            } else {
                counts.duplicates++;
            }
        }
    }

    private boolean alreadyIngested(String sha256) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ingest_files WHERE sha256 = ?")) {
            ps.setString(1, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("database unavailable: " + e.getMessage(), e);
        }
    }

    private void record(String sha256, String kind, String name, Counts counts) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO ingest_files (sha256, inbox, file_name, lines,"
                     + " stored, duplicates, rejected) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, sha256);
            ps.setString(2, kind);
            ps.setString(3, name);
            ps.setLong(4, counts.lines);
            ps.setLong(5, counts.stored);
            ps.setLong(6, counts.duplicates);
            ps.setLong(7, counts.rejected);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("database unavailable: " + e.getMessage(), e);
        }
    }

    private Map<String, Object> reject(Path file, Path dir, String name, String kind, String reason)
            throws IOException {
        Path errorDir = dir.resolve(".error");
        Path moved = moveTo(file, errorDir, name);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("file", name);
        report.put("moved_to", moved.getFileName().toString());
        report.put("status", "unreadable");
        report.put("reason", reason);
        report.put("at", clock.instant().toString());
        // written under a dot-name first, so a reader never sees half a report
        Path tmp = errorDir.resolve("." + moved.getFileName() + ".errors.json.tmp");
        Files.write(tmp, Json.bytes(report));
        Files.move(tmp, errorDir.resolve(moved.getFileName() + ".errors.json"), StandardCopyOption.ATOMIC_MOVE);
        metrics.items(kind.equals("lineage") ? "lineage" : "execution", "file", Results.REJECTED, 1);
        LOG.warn("Inbox file {} cannot be read ({}); moved to {}", name, reason, moved);
        return summary(name, "unreadable: " + reason, 0, 0, 0, 0);
    }

    static UUID derivedId(String sha256, long line) {
        return UUID.nameUUIDFromBytes((sha256 + ":" + line).getBytes(StandardCharsets.UTF_8));
    }

    /** Moves {@code file} into {@code dir}, keeping its name unless a file of that name is there already. */
    private Path moveTo(Path file, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(name);
        if (Files.exists(target)) {
            target = dir.resolve(name + "." + clock.millis());
        }
        return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, Object> summary(String name, String status, long lines, long stored, long duplicates,
                                               long rejected) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", name);
        m.put("status", status);
        m.put("records", lines);
        m.put("stored", stored);
        m.put("duplicates", duplicates);
        m.put("rejected", rejected);
        return m;
    }

    private static final class Counts {
        long lines;
        long stored;
        long duplicates;
        long rejected;
    }

    private static final class Slice {
        final List<Record> records = new ArrayList<>();
        final List<LineageEvent> events = new ArrayList<>();
        final List<HookExecution> executions = new ArrayList<>();
        CompletableFuture<GroupCommitWriter.Result> result;
    }

    /**
     * One record of a file: its position (line number of an NDJSON record, 1-based index of an array element: a
     * JSON array often sits on one line), the line where it starts, its raw text, and its JSON or why it did not
     * parse.
     */
    record Record(long position, long line, String raw, JsonNode json, String failure) {
    }

    private interface Records extends AutoCloseable {
        Record next() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** NDJSON: one record per line, read with a bounded line length; blank lines are skipped. */
    private final class LineRecords implements Records {
        private final InputStream in;
        private long lineNumber;
        private byte[] buf = new byte[8192];

        LineRecords(Path file) throws IOException {
            this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        }

        @Override
        public Record next() throws IOException {
            while (true) {
                int len = 0;
                boolean tooLong = false;
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    if (len < maxLineBytes) {
                        if (len == buf.length) {
                            buf = java.util.Arrays.copyOf(buf, Math.min(maxLineBytes, buf.length * 2));
                        }
                        buf[len++] = (byte) b;
                    } else {
                        tooLong = true;
                    }
                }
                if (b < 0 && len == 0) {
                    return null;
                }
                lineNumber++;
                if (len > 0 && buf[len - 1] == '\r') {
                    len--;
                }
                String raw = new String(buf, 0, len, StandardCharsets.UTF_8);
                if (tooLong) {
                    return new Record(lineNumber, lineNumber, raw, null, "line longer than " + maxLineBytes
                            + " bytes; only its first " + maxLineBytes + " bytes are kept in the rejects file");
                }
                if (raw.isBlank()) {
                    continue;
                }
                try {
                    return new Record(lineNumber, lineNumber, raw, Json.mapper().readTree(raw), null);
                } catch (JsonProcessingException e) {
                    return new Record(lineNumber, lineNumber, raw, null, Json.describe(e));
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A .json file (already checked well-formed): its one object, or each element of its array. */
    private static final class JsonRecords implements Records {
        /** Reads one element and stops: the rest of the array is not "trailing content". */
        private static final ObjectReader ELEMENT_READER = Json.mapper().reader()
                .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        private final JsonParser parser;
        private final boolean array;
        private boolean single;
        private long index;

        JsonRecords(Path file) throws IOException {
            parser = Json.mapper().getFactory().createParser(Files.newInputStream(file));
            array = parser.nextToken() == JsonToken.START_ARRAY;
            single = !array;
        }

        @Override
        public Record next() throws IOException {
            if (array && parser.nextToken() == JsonToken.END_ARRAY) {
                return null;
            }
            if (!array) {
                if (!single) {
                    return null;
                }
                single = false;
            }
            long line = parser.currentTokenLocation().getLineNr();
            JsonNode node = ELEMENT_READER.readTree(parser);
            return new Record(++index, line, node.toString(), node, null);
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    /**
     * Rejected records of one file, written as they come (temporary names until the file is done):
     * the raw records to {@code <file>.rejects.ndjson}, the reasons to {@code <file>.errors.json}.
     */
    private final class Rejects implements AutoCloseable {
        private final Path dir;
        private final String name;
        private Path rejectsTmp;
        private Path errorsTmp;
        private OutputStream rejects;
        private JsonGenerator errors;
        long count;

        Rejects(Path dir, String name) {
            this.dir = dir;
            this.name = name;
        }

        void add(Record r, Problem p) throws IOException {
            if (rejects == null) {
                Files.createDirectories(dir);
                rejectsTmp = dir.resolve("." + name + ".rejects.ndjson.tmp");
                errorsTmp = dir.resolve("." + name + ".errors.json.tmp");
                rejects = new java.io.BufferedOutputStream(Files.newOutputStream(rejectsTmp));
                errors = Json.mapper().getFactory().createGenerator(Files.newOutputStream(errorsTmp));
                errors.writeStartObject();
                errors.writeStringField("file", name);
                errors.writeArrayFieldStart("errors");
            }
            count++;
            rejects.write(r.raw().getBytes(StandardCharsets.UTF_8));
            rejects.write('\n');
            errors.writeStartObject();
            errors.writeNumberField("line", r.line());
            errors.writeStringField("code", p.code().name());
            if (p.field() != null && !p.field().isEmpty()) {
                errors.writeStringField("field", p.field());
            }
            errors.writeStringField("reason", p.message());
            errors.writeEndObject();
        }

        /** The file is done: close the reports under their final names. */
        void publish(Counts counts) throws IOException {
            if (rejects == null) {
                return;
            }
            errors.writeEndArray();
            errors.writeNumberField("records", counts.lines);
            errors.writeNumberField("stored", counts.stored);
            errors.writeNumberField("duplicates", counts.duplicates);
            errors.writeNumberField("rejected", counts.rejected);
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

    /** The file as a whole cannot be read. */
    private static final class UnreadableFileException extends IOException {
        UnreadableFileException(String message) {
            super(message);
        }
    }
}

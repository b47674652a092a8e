package dev.archon.traceability.ingest;

import dev.archon.traceability.errors.DatabaseUnavailableException;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.executions.HookExecution;
import dev.archon.traceability.ingest.InboxRecords.Record;
import dev.archon.traceability.ingest.InboxRecords.UnreadableFileException;
import dev.archon.traceability.lineage.LineageEvent;
import dev.archon.traceability.lineage.LineageTracker.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Ingests one file from a watched folder, in the steps of the comment at the top of routes/ingest-files.yaml. Its
 * records ({@link InboxRecords}) are read as a stream and committed in slices, so memory stays flat whatever the
 * file's size.
 * <ul>
 * <li>Valid records land; a record that fails validation (or is refused, e.g. an unknown parent) is copied to
 * {@code .error/<file>.rejects.ndjson} and explained in {@code .error/<file>.errors.json} (line, code, field,
 * reason; {@link InboxRejects}). After its last slice is committed the file moves to {@code .done/}.</li>
 * <li>A file that cannot be read as a whole (unreadable, or a .json that is not well-formed) moves to
 * {@code .error/} with its {@code .errors.json}, and nothing of it is stored ({@link InboxFolders}).</li>
 * <li>A record without its own event_id/execution_id gets one derived from the file's SHA-256 and its line number,
 * so a file read again after a crash, or dropped again later, stores nothing twice; a file whose content was
 * already ingested ({@link IngestedFiles}) goes straight to {@code .done/}.</li>
 * <li>If the database is unavailable the file stays where it is (nothing is moved) and is read again later.</li>
 * </ul>
 */
public final class InboxFileIngestor {

    private static final Logger LOG = LoggerFactory.getLogger(InboxFileIngestor.class);
    private static final int IN_FLIGHT = 2;

    private final IngestedFiles ingestedFiles;
    private final InboxFolders folders;
    private final EventReader reader;
    private final GroupCommitWriter writer;
    private final IngestMetrics metrics;
    private final int sliceSize;
    private final int maxLineBytes;
    private final Clock clock;

    public InboxFileIngestor(DataSource dataSource, EventReader reader, GroupCommitWriter writer,
                             IngestMetrics metrics, int sliceSize, int maxLineBytes, Clock clock) {
        this.ingestedFiles = new IngestedFiles(dataSource);
        this.folders = new InboxFolders(clock);
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
        // 1. Only accepted names come here (InboxFiles): the route's include leaves out the rest.
        String sha256;
        try {
            sha256 = InboxRecords.checkReadable(file);
        } catch (UnreadableFileException e) {
            return unreadable(file, name, lineage, e.getMessage()); // 4. to .error/, nothing of it stored
        }
        // the file's log lines carry its content hash (ingest_files.sha256 starts with it)
        try (MDC.MDCCloseable ignored = MDC.putCloseable("correlation_id", "file-" + sha256.substring(0, 16))) {
            return ingestReadable(file, name, kind, lineage, sha256);
        }
    }

    private Map<String, Object> ingestReadable(Path file, String name, String kind, boolean lineage, String sha256)
            throws IOException {
        if (ingestedFiles.alreadyIngested(sha256)) { // the same content again: nothing is stored twice
            Path done = folders.toDone(file);
            LOG.info("Inbox file {} has the same content as a file already ingested; moved to {} without storing",
                    name, done);
            return summary(name, "already ingested", 0, new Tally());
        }
        try {
            return ingestRecords(file, name, kind, lineage, sha256); // 2. and 3. in slices, then to .done/
        } catch (DatabaseUnavailableException e) {
            throw e; // 5. the file stays in the inbox and is read again later
        } catch (IOException | RuntimeException e) {
            LOG.error("Inbox file {} could not be ingested", name, e);
            return unreadable(file, name, lineage, "could not be ingested (" + e + "); records committed before"
                    + " this stay, and dropping the file again stores nothing twice");
        }
    }

    /** Steps 2 and 3: the records committed in slices; then the rejects published and the file moved to .done/. */
    private Map<String, Object> ingestRecords(Path file, String name, String kind, boolean lineage, String sha256)
            throws IOException {
        try (InboxRejects rejects = new InboxRejects(InboxFolders.errorDir(file), name, clock)) {
            Tally tally = new Tally();
            long lines = commitInSlices(file, lineage, sha256, rejects, tally);
            rejects.publish(lines, tally); // before the file counts as ingested: a crash in between re-reads it
            ingestedFiles.record(sha256, kind, name, lines, tally);
            Path done = folders.toDone(file);
            tally.count(metrics, itemKind(lineage), "file");
            LOG.info("Inbox file {}: {} records, {} stored, {} duplicate, {} rejected; moved to {}", name,
                    lines, tally.storedCount(), tally.duplicateCount(), tally.rejectedCount(), done);
            return summary(name, "done", lines, tally);
        }
    }

    /**
     * Reads the records and commits them a slice at a time, the next slice read while one commits; a record without
     * its own id gets one derived from the file's content and the record's position. Returns how many records.
     */
    private long commitInSlices(Path file, boolean lineage, String sha256, InboxRejects rejects, Tally tally)
            throws IOException {
        long lines = 0;
        ArrayDeque<Slice> inFlight = new ArrayDeque<>();
        Slice slice = new Slice();
        try (InboxRecords records = InboxRecords.open(file, maxLineBytes)) {
            Record r;
            while ((r = records.next()) != null) {
                lines++;
                if (r.failure() != null) {
                    slice.refused.add(new Refusal(r, Problem.invalid("", r.failure())));
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
                    slice.refused.add(new Refusal(r, e.problem()));
                }
                if (slice.records.size() >= sliceSize) {
                    submit(slice, inFlight, rejects, tally);
                    slice = new Slice();
                }
            }
        }
        submit(slice, inFlight, rejects, tally);
        while (!inFlight.isEmpty()) {
            settle(inFlight.removeFirst(), rejects, tally);
        }
        return lines;
    }

    /** Step 4: the file moves to .error/ with its errors.json; nothing of it is stored. */
    private Map<String, Object> unreadable(Path file, String name, boolean lineage, String reason)
            throws IOException {
        Path moved = folders.toError(file, reason);
        metrics.items(itemKind(lineage), "file", Results.REJECTED, 1);
        LOG.warn("Inbox file {} cannot be read ({}); moved to {}", name, reason, moved);
        return summary(name, "unreadable: " + reason, 0, new Tally());
    }

    private void submit(Slice slice, ArrayDeque<Slice> inFlight, InboxRejects rejects, Tally tally)
            throws IOException {
        if (slice.records.isEmpty() && slice.refused.isEmpty()) {
            return;
        }
        slice.result = writer.submit(slice.events, slice.executions); // completes at once when there is nothing
        inFlight.addLast(slice);
        while (inFlight.size() >= IN_FLIGHT) {
            settle(inFlight.removeFirst(), rejects, tally);
        }
    }

    /**
     * Waits for a slice's commit and counts its outcomes; its refused records (unreadable or invalid when read,
     * refused at commit) join the rejects in file order. Slices settle in file order too.
     */
    private void settle(Slice slice, InboxRejects rejects, Tally tally) throws IOException {
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
        List<Refusal> refused = new ArrayList<>(slice.refused);
        for (int i = 0; i < slice.events.size(); i++) {
            Outcome o = result.lineage().get(i);
            if (o.rejected()) {
                refused.add(new Refusal(slice.records.get(i), o.rejection()));
            } else if (o.duplicate()) {
                tally.duplicate();
            } else {
                tally.stored();
            }
        }
        for (Boolean stored : result.executionsStored()) {
            if (stored) {
                tally.stored();
            } else {
                tally.duplicate();
            }
        }
        refused.sort(Comparator.comparingLong(f -> f.record().position())); // file order (an array may be on one line)
        for (Refusal f : refused) { // a record not stored goes to the rejects report and counts as rejected
            rejects.add(f.record(), f.problem());
            tally.rejected();
        }
    }

    /** A record of the file that is not stored, and why. */
    private record Refusal(Record record, Problem problem) {
    }

    static UUID derivedId(String sha256, long line) {
        return UUID.nameUUIDFromBytes((sha256 + ":" + line).getBytes(StandardCharsets.UTF_8));
    }

    /** The kind label of ingest_items_total. */
    private static String itemKind(boolean lineage) {
        return lineage ? "lineage" : "execution";
    }

    private static Map<String, Object> summary(String name, String status, long records, Tally tally) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", name);
        m.put("status", status);
        m.put("records", records);
        return tally.into(m);
    }

    private static final class Slice {
        final List<Record> records = new ArrayList<>();
        final List<Refusal> refused = new ArrayList<>();
        final List<LineageEvent> events = new ArrayList<>();
        final List<HookExecution> executions = new ArrayList<>();
        CompletableFuture<GroupCommitWriter.Result> result;
    }
}

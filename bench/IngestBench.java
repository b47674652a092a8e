import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Ingest benchmark: how many lineage events per second the service commits through each door (single HTTP events,
 * HTTP batches, an NDJSON inbox file), next to the physical limit of writing the same rows with COPY.
 *
 * <pre>
 * bench/ingest.sh [--quick] [--big]                                   (from anywhere; builds the jar if missing)
 * java -cp target/pattern-traceability.jar bench/IngestBench.java [options]   (from the project root)
 *
 *   --quick             10x fewer events; no scenario D
 *   --big               run scenario D (1,000,000-line file, service heap 256 MB) even with --quick
 *   --no-big            skip scenario D in a full run
 *   --no-inbox          skip the file inbox scenarios (C and D)
 *   --client=per-thread | --client=shared   one HTTP client per sending thread (default) or one for all
 *   --compare-clients   only compare the two client set-ups on scenario A (3 rounds each), then stop
 * </pre>
 *
 * The service runs as a child process the way operators run it (java -jar, embedded durable PostgreSQL), on free
 * ports, with fresh temporary data and inbox folders; it is always stopped (SIGTERM) and its folders deleted at the
 * end, also on failure, Ctrl-C or the overall time limit. Every wait is bounded; all traffic goes to 127.0.0.1.
 * Exit code: 0 when every measured scenario stored everything and the row counts match, 1 otherwise.
 */
public class IngestBench {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** The jar this program runs against (its class path), else the project's. */
    private static final Path BUILT_JAR = builtJar();
    /**
     * The services run from a private copy of that jar, taken at start: the project may be rebuilt while the
     * benchmark runs (mvn package rewrites target/), and a jar changing under a running JVM breaks class loading.
     */
    private static Path serviceJar;
    private static Path jarCopyDir;

    private static final int WARM_UP_EVENTS = 5_000;
    private static final int SINGLE_CLIENTS = 32;
    private static final int BATCH_CLIENTS = 4;
    private static final int BATCH_SIZE = 1_000;
    private static final int COPY_CHUNK = 10_000;
    private static final int BIG_FILE_LINES = 1_000_000;

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration HTTP_SCENARIO_LIMIT = Duration.ofMinutes(15);
    private static final Duration PICKUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration FILE_LIMIT = Duration.ofMinutes(15);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration WHOLE_RUN_LIMIT = Duration.ofMinutes(90);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STARTED_NANOS = System.nanoTime();
    /** Other work on the machine changes every number here; the table shows the load before and after. */
    private static final double LOAD_AT_START = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    /** Services still running, so the shutdown hook can stop them after Ctrl-C or the overall time limit. */
    private static final List<Service> RUNNING = new CopyOnWriteArrayList<>();

    /** What the command line asked for. */
    record Options(boolean quick, boolean big, boolean inbox, boolean sharedClient, boolean compareClients) {

        static Options parse(String[] args) {
            Set<String> known = Set.of("--quick", "--big", "--no-big", "--no-inbox", "--client=shared",
                    "--client=per-thread", "--compare-clients");
            List<String> given = Arrays.asList(args);
            for (String a : given) {
                if (!known.contains(a)) {
                    throw new IllegalArgumentException("unknown option " + a + "; known: " + known);
                }
            }
            boolean quick = given.contains("--quick");
            boolean big = given.contains("--big") || !quick && !given.contains("--no-big");
            // One HttpClient per thread by default: with --compare-clients on 2026-11-27 (2 vCPU, machine busy with
            // builds) per-thread gave 857 / 873 / 1,039 events/s and shared 436 / 1,132 / 878; no clear winner,
            // per-thread slightly ahead and steadier (each client has its own selector thread).
            return new Options(quick, big, !given.contains("--no-inbox"), given.contains("--client=shared"),
                    given.contains("--compare-clients"));
        }

        int singleEvents() {
            return quick ? 10_000 : 100_000;
        }

        int batchedEvents() {
            return quick ? 20_000 : 200_000;
        }

        int fileLines() {
            return quick ? 20_000 : 200_000;
        }
    }

    /** One line of the results table; {@code unavailable} says why a scenario has no numbers. */
    record Row(String scenario, long events, double seconds, long[] sortedLatencyNanos, Baseline comparedTo,
               String unavailable) {

        static Row measured(String scenario, long events, double seconds, long[] sortedLatencyNanos,
                            Baseline comparedTo) {
            return new Row(scenario, events, seconds, sortedLatencyNanos, comparedTo, null);
        }

        static Row notAvailable(String scenario, String why) {
            return new Row(scenario, 0, 0, null, null, why);
        }

        double rate() {
            return seconds > 0 ? events / seconds : 0;
        }
    }

    /** The outcome of sending requests from several threads: events sent and stored, errors, latencies. */
    record HttpRun(long eventsSent, long eventsStored, long failedRequests, String firstError, double seconds,
                   long[] sortedLatencyNanos, boolean hitTimeLimit) {
    }

    /**
     * An inbox file scenario: seconds from the rename to .done/, or why there is no time. {@code inboxMissing}: the
     * file was never picked up, so the inbox is not there yet (a skip, not a failure).
     */
    record FileRun(double seconds, String unavailable, boolean inboxMissing, String report) {

        static FileRun done(double seconds, double pickupSeconds, String report) {
            return new FileRun(seconds, null, false, String.format("first sign of pick-up after %.1f s (inbox"
                    + " polling is part of the time); %s", pickupSeconds, report));
        }

        static FileRun failed(String why) {
            return new FileRun(0, why, false, null);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(BUILT_JAR) || !Files.isDirectory(ROOT.resolve("config"))) {
            System.err.println("Run from the project root, with " + BUILT_JAR + " built (./mvnw -q -B package"
                    + " -DskipTests); bench/ingest.sh does both");
            System.exit(2);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(IngestBench::cleanUp, "clean-up"));
        startWatchdog();
        jarCopyDir = Files.createTempDirectory("ingest-bench-jar-");
        serviceJar = Files.copy(BUILT_JAR, jarCopyDir.resolve("pattern-traceability.jar"));
        log("service jar: %s, built %s", BUILT_JAR,
                Files.getLastModifiedTime(BUILT_JAR).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));

        if (options.compareClients()) {
            compareClients(options);
            System.exit(0);
        }
        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        boolean ok = runMainService(options, rows, notes);
        String bigName = "D  1,000,000-line NDJSON executions, -Xmx256m";
        if (!options.big()) {
            rows.add(Row.notAvailable(bigName, "not run (" + (options.quick() ? "--quick; add --big" : "--no-big")
                    + ")"));
        } else if (!options.inbox()) {
            rows.add(Row.notAvailable(bigName, "skipped (--no-inbox)"));
        } else {
            ok &= runBigFile(bigName, rows, notes);
        }
        printTable(options, rows, notes);
        System.exit(ok ? 0 : 1);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The two service runs
    // ---------------------------------------------------------------------------------------------------------

    /** Warm-up, A, B, C and COPY against one service (default heap), then the row-count check. */
    private static boolean runMainService(Options o, List<Row> rows, List<String> notes) {
        log("starting the service (default heap)");
        try (Service service = Service.start("main", List.of());
             Connection db = service.connect()) {
            try {
                long nodesBefore = count(db, "lineage_nodes");
                long eventsBefore = count(db, "lineage_events");
                long expected = 0;
                boolean ok = true;

                HttpRun warmUp = singleEvents(service, o, WARM_UP_EVENTS, "bench-w-");
                log("warm-up: %,d events in %.1f s (not counted)", warmUp.eventsSent(), warmUp.seconds());
                expected += warmUp.eventsSent();
                ok &= reportErrors("warm-up", warmUp, notes);

                HttpRun a = singleEvents(service, o, o.singleEvents(), "bench-a-");
                rows.add(Row.measured("A  HTTP single events, " + SINGLE_CLIENTS + " clients", a.eventsSent(),
                        a.seconds(), a.sortedLatencyNanos(), null));
                expected += a.eventsSent();
                ok &= reportErrors("A", a, notes);

                checkpoint(db);
                HttpRun b = batches(service, o, o.batchedEvents());
                rows.add(Row.measured("B  HTTP batches of 1,000, " + BATCH_CLIENTS + " clients", b.eventsSent(),
                        b.seconds(), b.sortedLatencyNanos(), Baseline.HTTP));
                expected += b.eventsSent();
                ok &= reportErrors("B", b, notes);

                String cName = "C  NDJSON file, lineage inbox";
                if (o.inbox()) {
                    checkpoint(db);
                    FileRun c = lineageFile(service, db, o.fileLines());
                    if (c.unavailable() == null) {
                        rows.add(Row.measured(cName, o.fileLines(), c.seconds(), null, Baseline.FILE));
                        expected += o.fileLines();
                        notes.add("C: " + c.report());
                    } else {
                        rows.add(Row.notAvailable(cName, c.unavailable()));
                        ok &= c.inboxMissing();
                    }
                } else {
                    rows.add(Row.notAvailable(cName, "skipped (--no-inbox)"));
                }

                for (Baseline baseline : Baseline.values()) {
                    if (baseline == Baseline.FILE && !o.inbox()) {
                        continue;
                    }
                    checkpoint(db);
                    double copySeconds = copyBaseline(db, o.batchedEvents(), baseline);
                    rows.add(Row.measured(baseline.title, o.batchedEvents(), copySeconds, null, null));
                    expected += o.batchedEvents();
                }

                ok &= verifyCounts(db, nodesBefore, eventsBefore, expected, notes);
                notes.add("PostgreSQL " + queryString(db, "SHOW server_version") + " (embedded, fsync on,"
                        + " synchronous_commit on), shared with the benchmark client on the same machine");
                return ok;
            } catch (Exception | LinkageError e) {
                fail(service, "main run", e, notes);
                return false;
            }
        } catch (Exception | LinkageError e) {
            notes.add("main run failed: " + e);
            log("FAILED: %s", e);
            return false;
        }
    }

    /** Scenario D: a second service with its heap capped at 256 MB swallows a 1,000,000-line executions file. */
    private static boolean runBigFile(String name, List<Row> rows, List<String> notes) {
        log("starting a second service with -Xmx256m for scenario D");
        try (Service service = Service.start("big", List.of("-Xmx256m"));
             Connection db = service.connect()) {
            try {
                long before = count(db, "hook_executions");
                UUID probe = randomUuid();
                FileRun d = dropFile(service, db, "executions", BIG_FILE_LINES,
                        i -> execution(i == 0 ? probe : randomUuid()),
                        "SELECT 1 FROM hook_execution_keys WHERE execution_id = ?::uuid", probe);
                boolean alive = service.process.isAlive();
                boolean oom = service.logContains("OutOfMemoryError");
                if (d.unavailable() != null) {
                    rows.add(Row.notAvailable(name, d.unavailable()));
                    notes.add("D: service alive: " + yesNo(alive) + ", OutOfMemoryError in its log: " + yesNo(oom));
                    return d.inboxMissing() && alive && !oom;
                }
                rows.add(Row.measured(name, BIG_FILE_LINES, d.seconds(), null, null));
                long stored = count(db, "hook_executions") - before;
                boolean countOk = stored == BIG_FILE_LINES;
                notes.add("D: " + d.report());
                notes.add(String.format("D: hook_executions rows %,d, expected %,d: %s; service alive: %s;"
                                + " OutOfMemoryError in its log: %s", stored, BIG_FILE_LINES,
                        countOk ? "OK" : "MISMATCH", yesNo(alive), yesNo(oom)));
                return countOk && alive && !oom;
            } catch (Exception | LinkageError e) {
                fail(service, "scenario D", e, notes);
                return false;
            }
        } catch (Exception | LinkageError e) {
            notes.add("scenario D failed: " + e);
            log("FAILED: %s", e);
            return false;
        }
    }

    /**
     * --compare-clients: scenario A with one shared HttpClient and with one per thread, alternating, three rounds
     * each on one service, to choose the default (the brief: whichever gives more). Prints the rates and stops.
     */
    private static void compareClients(Options o) throws IOException, InterruptedException {
        try (Service service = Service.start("compare", List.of())) {
            singleEvents(service, o, WARM_UP_EVENTS, "bench-w-");
            for (int round = 1; round <= 3; round++) {
                for (boolean shared : new boolean[] {true, false}) {
                    Options variant = new Options(o.quick(), false, false, shared, false);
                    HttpRun run = singleEvents(service, variant, o.singleEvents(), "bench-" + round + shared + "-");
                    long[] lat = run.sortedLatencyNanos();
                    log("round %d, %-10s: %,6.0f events/s, p50 %s ms, p99 %s ms, %d failed%s", round,
                            shared ? "shared" : "per-thread", run.eventsSent() / run.seconds(), millis(lat, 0.5),
                            millis(lat, 0.99), run.failedRequests(),
                            run.firstError() == null ? "" : " (first: " + run.firstError() + ")");
                }
            }
        }
    }

    private static void fail(Service service, String what, Throwable e, List<String> notes) {
        notes.add(what + " failed: " + e);
        log("FAILED during %s: %s", what, e);
        e.printStackTrace();
        service.printLogTail(40);
    }

    // ---------------------------------------------------------------------------------------------------------
    // HTTP scenarios
    // ---------------------------------------------------------------------------------------------------------

    /** Scenario A (and the warm-up): pattern_created events, one per request, from 32 keep-alive clients. */
    private static HttpRun singleEvents(Service s, Options o, int events, String namePrefix)
            throws InterruptedException {
        URI uri = s.uri("/api/lineage/track");
        log("%,d single events from %d clients ...", events, SINGLE_CLIENTS);
        return sendConcurrently(SINGLE_CLIENTS, o.sharedClient(), events, 1,
                i -> post(uri, createdEvent(namePrefix + i, randomUuid())),
                r -> r.statusCode() == 201 ? 1 : 0);
    }

    /** Scenario B: arrays of 1,000 pattern_created events, 4 clients; every answer must say "stored": 1000. */
    private static HttpRun batches(Service s, Options o, int events) throws InterruptedException {
        URI uri = s.uri("/api/lineage/track/batch");
        log("%,d events in batches of %,d from %d clients ...", events, BATCH_SIZE, BATCH_CLIENTS);
        return sendConcurrently(BATCH_CLIENTS, o.sharedClient(), events / BATCH_SIZE, BATCH_SIZE,
                i -> post(uri, batchOfCreatedEvents("bench-b-" + i + "-")),
                r -> r.statusCode() == 200 ? storedField(r.body()) : 0);
    }

    /**
     * Sends {@code requests} requests from {@code threads} threads, each request carrying {@code eventsPerRequest}
     * events, as fast as the answers come back. {@code storedBy} reads how many events an answer says were stored;
     * anything else than all of them counts as a failed request. Latency is the time around send alone, so building
     * the body is not in it (it is in the wall time, as it would be for any client).
     */
    private static HttpRun sendConcurrently(int threads, boolean sharedClient, int requests, int eventsPerRequest,
                                            IntFunction<HttpRequest> requestFor,
                                            ToLongFunction<HttpResponse<String>> storedBy)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong sent = new AtomicLong();
        AtomicLong stored = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] latency = new long[requests];
        Arrays.fill(latency, -1);
        HttpClient shared = sharedClient ? newHttpClient() : null;
        List<HttpClient> clients = Stream.generate(() -> sharedClient ? shared : newHttpClient()).limit(threads)
                .toList();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        long deadline = start + HTTP_SCENARIO_LIMIT.toNanos();
        for (HttpClient client : clients) {
            pool.execute(() -> {
                for (int i = next.getAndIncrement(); i < requests && System.nanoTime() < deadline;
                     i = next.getAndIncrement()) {
                    HttpRequest request = requestFor.apply(i);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                        latency[i] = System.nanoTime() - t0;
                        long n = storedBy.applyAsLong(r);
                        stored.addAndGet(n);
                        if (n != eventsPerRequest) {
                            failed.incrementAndGet();
                            firstError.compareAndSet(null, "HTTP " + r.statusCode() + ": " + shorten(r.body()));
                        }
                    } catch (IOException | RuntimeException e) {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    sent.addAndGet(eventsPerRequest);
                }
            });
        }
        pool.shutdown();
        // every thread stops claiming work at the deadline; one request more may still be on its way
        if (!pool.awaitTermination(HTTP_SCENARIO_LIMIT.plus(REQUEST_TIMEOUT).toSeconds() + 10, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = LongStream.of(latency).filter(x -> x >= 0).sorted().toArray();
        return new HttpRun(sent.get(), stored.get(), failed.get(), firstError.get(), seconds, sorted,
                next.get() < requests);
    }

    /** Notes errors of an HTTP run; true when every event was stored in time. */
    private static boolean reportErrors(String scenario, HttpRun run, List<String> notes) {
        String line = String.format("%s: %,d events sent, %,d stored, %,d failed requests", scenario,
                run.eventsSent(), run.eventsStored(), run.failedRequests());
        log(line + String.format(" in %.1f s", run.seconds()));
        if (run.failedRequests() > 0) {
            notes.add(line + "; first error: " + run.firstError());
        }
        if (run.hitTimeLimit()) {
            notes.add(scenario + ": stopped at the time limit of " + HTTP_SCENARIO_LIMIT.toMinutes()
                    + " minutes; the numbers cover what was sent until then");
        }
        return run.failedRequests() == 0 && !run.hitTimeLimit();
    }

    private static HttpClient newHttpClient() {
        // HTTP/1.1 keeps one connection per concurrent request alive and reuses it: what hooks would do
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static HttpRequest post(URI uri, String json) {
        return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static long storedField(String body) {
        try {
            return JSON.readTree(body).path("stored").asLong(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Inbox file scenarios
    // ---------------------------------------------------------------------------------------------------------

    /** Scenario C: pattern_created lines dropped into the lineage inbox. */
    private static FileRun lineageFile(Service s, Connection db, int lines) throws IOException, InterruptedException,
            SQLException {
        UUID probe = randomUuid();
        return dropFile(s, db, "lineage", lines, i -> createdEvent("bench-c-" + i, i == 0 ? probe : randomUuid()),
                "SELECT 1 FROM lineage_event_keys WHERE event_id = ?::uuid", probe);
    }

    /**
     * Writes an NDJSON file under a hidden temporary name, renames it into the inbox (atomic: the service never sees
     * half a file) and times from the rename until the file is in .done/, which the service does once every line is
     * committed. The inbox counts as not available when nothing was picked up within two minutes: the file is then
     * removed again so that a late pick-up cannot skew the row counts. {@code probeSql} finds the first line's id in
     * the database, which shows a pick-up even while the service is still reading the file in place.
     */
    private static FileRun dropFile(Service s, Connection db, String inbox, int lines, IntFunction<String> line,
                                    String probeSql, UUID probe)
            throws IOException, InterruptedException, SQLException {
        Path dir = s.inbox.resolve(inbox);
        Files.createDirectories(dir);
        Path temp = dir.resolve(".bench.ndjson.tmp");
        Path dropped = dir.resolve("bench.ndjson");
        log("writing %,d lines for the %s inbox ...", lines, inbox);
        writeLines(temp, lines, line);
        log("dropping %s (%,d MB)", dropped, Files.size(temp) >> 20);

        long start = System.nanoTime();
        Files.move(temp, dropped, StandardCopyOption.ATOMIC_MOVE);
        long pickupDeadline = start + PICKUP_TIMEOUT.toNanos();
        long doneDeadline = start + FILE_LIMIT.toNanos();
        long nextProbe = 0;
        boolean pickedUp = false;
        double pickupSeconds = 0;
        while (true) {
            long now = System.nanoTime();
            if (findDone(dir).isPresent()) {
                double seconds = (now - start) / 1e9;
                log("%s inbox: .done after %.1f s", inbox, seconds);
                return FileRun.done(seconds, pickedUp ? pickupSeconds : seconds, fileReport(db));
            }
            if (!s.process.isAlive()) {
                return FileRun.failed("the service exited (code " + s.process.exitValue() + ") while ingesting the"
                        + " file");
            }
            Optional<Path> failed = findFailed(dir);
            if (failed.isPresent()) {
                return FileRun.failed("file moved to " + dir.relativize(failed.get()) + " instead of .done/");
            }
            if (!pickedUp && (!Files.exists(dropped) || now >= nextProbe && probeFound(db, probeSql, probe))) {
                pickedUp = true;
                pickupSeconds = (now - start) / 1e9;
                log("%s inbox: picked up after %.1f s, waiting for .done/ ...", inbox, pickupSeconds);
            }
            nextProbe = now >= nextProbe ? now + 500_000_000L : nextProbe;
            if (!pickedUp && now > pickupDeadline) {
                Files.deleteIfExists(dropped);
                log("%s inbox: not picked up within %d s: not available", inbox, PICKUP_TIMEOUT.toSeconds());
                return new FileRun(0, "not available (not picked up within " + PICKUP_TIMEOUT.toSeconds() + " s)",
                        true, null);
            }
            if (now > doneDeadline) {
                return FileRun.failed("not done within " + FILE_LIMIT.toMinutes() + " minutes");
            }
            Thread.sleep(10);
        }
    }

    private static void writeLines(Path file, int lines, IntFunction<String> line) throws IOException {
        try (BufferedWriter w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 20)) {
            for (int i = 0; i < lines; i++) {
                w.write(line.apply(i));
                w.write('\n');
            }
        }
    }

    /** Our file in &lt;inbox&gt;/.done/, under its own name or with a suffix the service may add. */
    private static Optional<Path> findDone(Path inbox) throws IOException {
        return findBenchFile(inbox.resolve(".done"));
    }

    /** Our file in a folder named like an error folder (.error, .failed, ...), where waiting would be in vain. */
    private static Optional<Path> findFailed(Path inbox) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(inbox, Files::isDirectory)) {
            for (Path d : dirs) {
                if (d.getFileName().toString().toLowerCase().matches(".*(err|fail|reject|poison|dead).*")) {
                    Optional<Path> found = findBenchFile(d);
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> findBenchFile(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "bench*")) {
            for (Path f : files) {
                if (f.getFileName().toString().contains("ndjson")) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean probeFound(Connection db, String sql, UUID id) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The service's own account of the file (ingest_files), when it keeps one. */
    private static String fileReport(Connection db) {
        String sql = "SELECT lines, stored, duplicates, rejected FROM ingest_files WHERE file_name LIKE 'bench%'"
                + " ORDER BY completed_at DESC LIMIT 1";
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (rs.next()) {
                return String.format("ingest_files says lines %,d, stored %,d, duplicates %,d, rejected %,d",
                        rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
            return "no ingest_files row for the file";
        } catch (SQLException e) {
            return "ingest_files not readable: " + e.getMessage();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // COPY baseline
    // ---------------------------------------------------------------------------------------------------------

    /**
     * The physical limits: the rows the service stores for each pattern_created event (a version-1 node, the event,
     * its idempotency key), written with COPY into the same tables of the same database, one committed transaction
     * per 10,000 events. Nothing is validated, looked up or locked, and no pattern summary is kept: no ingest path
     * can be faster than this. The rows differ by door, so each door is compared with its own: over HTTP every
     * event stores the event as sent (jsonb) and the request's correlation id (a request's 1,000 events share one),
     * which node and event index; a file's events store the event and no correlation id. BARE is the baseline the
     * ratios were given against until 2026-11-28 ({} as each event's data, no correlation id), kept in the table so
     * the two series can be compared.
     */
    enum Baseline {
        HTTP("COPY of B's rows (the physical limit)", true, true),
        FILE("COPY of C's rows (the physical limit)", true, false),
        BARE("COPY of bare rows (no event data)", false, false);

        final String title;
        final boolean eventData;
        final boolean correlationIds;

        Baseline(String title, boolean eventData, boolean correlationIds) {
            this.title = title;
            this.eventData = eventData;
            this.correlationIds = correlationIds;
        }
    }

    private static double copyBaseline(Connection db, int events, Baseline rows) throws SQLException, IOException {
        log("%s: %,d events (3 rows each) ...", rows.title, events);
        CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
        db.setAutoCommit(false);
        long start = System.nanoTime();
        for (int done = 0; done < events; done += COPY_CHUNK) {
            int n = Math.min(COPY_CHUNK, events - done);
            StringBuilder nodeRows = new StringBuilder(n * 180);
            StringBuilder eventRows = new StringBuilder(n * 360);
            StringBuilder keyRows = new StringBuilder(n * 120);
            String correlation = null;
            for (int i = 0; i < n; i++) {
                if (rows.correlationIds && i % BATCH_SIZE == 0) {
                    correlation = randomUuid().toString();
                }
                String node = randomUuid().toString();
                String pattern = randomUuid().toString();
                UUID event = randomUuid();
                String name = "bench-copy-" + rows.name().toLowerCase() + "-" + (done + i);
                String now = Instant.now().toString();
                String data = rows.eventData ? createdEvent(name, event) : "{}"; // no tab, newline or backslash
                String corr = correlation == null ? "\\N" : correlation;
                nodeRows.append(node).append('\t').append(pattern).append("\t1\t").append(name)
                        .append('\t').append(now).append("\tactive\t").append(corr).append('\n');
                eventRows.append(event).append("\tpattern_created\t").append(node).append('\t').append(data)
                        .append('\t').append(now).append("\tbench\t").append(corr).append('\n');
                keyRows.append(event).append('\t').append(node).append('\t').append(pattern).append("\t1\n");
            }
            copy.copyIn("COPY lineage_nodes (node_id, pattern_id, version_number, pattern_name, created_at, status,"
                    + " correlation_id) FROM STDIN", new StringReader(nodeRows.toString()));
            copy.copyIn("COPY lineage_events (event_id, event_type, node_id, event_data, \"timestamp\", source,"
                    + " correlation_id) FROM STDIN", new StringReader(eventRows.toString()));
            copy.copyIn("COPY lineage_event_keys (event_id, node_id, pattern_id, version_number) FROM STDIN",
                    new StringReader(keyRows.toString()));
            db.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        db.setAutoCommit(true);
        log("COPY: %,d events in %.1f s", events, seconds);
        return seconds;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Verification and output
    // ---------------------------------------------------------------------------------------------------------

    /** Every event sent (warm-up, A, B, C) and copied must be exactly one node and one event row more. */
    private static boolean verifyCounts(Connection db, long nodesBefore, long eventsBefore, long expected,
                                        List<String> notes) throws SQLException {
        long nodes = count(db, "lineage_nodes") - nodesBefore;
        long events = count(db, "lineage_events") - eventsBefore;
        boolean ok = nodes == expected && events == expected;
        String line = String.format("row counts (warm-up + A + B + C + COPY = %,d): lineage_nodes %,d,"
                + " lineage_events %,d: %s", expected, nodes, events, ok ? "OK" : "MISMATCH");
        log(line);
        notes.add(line);
        return ok;
    }

    private static void printTable(Options o, List<Row> rows, List<String> notes) {
        Map<String, Double> copyRates = new HashMap<>();
        rows.stream().filter(r -> r.unavailable() == null).forEach(r -> copyRates.put(r.scenario(), r.rate()));
        int width = Math.max(30, rows.stream().mapToInt(r -> r.scenario().length()).max().orElse(0));
        String header = String.format("%-" + width + "s | %9s | %7s | %9s | %7s | %7s | %7s | %7s | %9s | %9s",
                "scenario", "events", "seconds", "events/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "% of COPY",
                "% of bare");
        System.out.println();
        System.out.println("Ingest benchmark" + (o.quick() ? " (--quick)" : ""));
        System.out.println(header);
        System.out.println("-".repeat(header.length()));
        for (Row r : rows) {
            if (r.unavailable() != null) {
                System.out.printf("%-" + width + "s | %s%n", r.scenario(), r.unavailable());
                continue;
            }
            long[] lat = r.sortedLatencyNanos();
            String same = r.comparedTo() == null ? "" : percent(r.rate(), copyRates.get(r.comparedTo().title));
            String bare = r.comparedTo() == null ? "" : percent(r.rate(), copyRates.get(Baseline.BARE.title));
            System.out.printf("%-" + width + "s | %,9d | %7.1f | %,9.0f | %7s | %7s | %7s | %7s | %9s | %9s%n",
                    r.scenario(), r.events(), r.seconds(), r.rate(), millis(lat, 0.50), millis(lat, 0.95),
                    millis(lat, 0.99), millis(lat, 1.0), same, bare);
        }
        System.out.println();
        System.out.println("% of COPY: against the COPY of the rows that scenario stores (B: HTTP, C: file);"
                + " % of bare: against the bare rows the ratios were given against until 2026-11-28.");
        System.out.printf("Latency is per request, measured around send: %,d requests of one event in A, %,d of"
                + " 1,000 events in B.%n", o.singleEvents(), o.batchedEvents() / BATCH_SIZE);
        System.out.println("Warm-up: " + String.format("%,d", WARM_UP_EVENTS) + " single events before A, not in"
                + " the table. HTTP clients: " + (o.sharedClient() ? "one shared" : "one per thread")
                + ", HTTP/1.1 keep-alive.");
        notes.forEach(System.out::println);
        System.out.println(machineFacts());
    }

    private static String percent(double rate, Double copyRate) {
        return copyRate == null || copyRate <= 0 ? "" : String.format("%.0f %%", 100 * rate / copyRate);
    }

    private static String millis(long[] sortedNanos, double quantile) {
        if (sortedNanos == null || sortedNanos.length == 0) {
            return "";
        }
        int index = (int) Math.ceil(quantile * sortedNanos.length) - 1;
        return String.format("%.1f", sortedNanos[Math.max(0, index)] / 1e6);
    }

    private static String machineFacts() {
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return String.format("machine: nproc %d, %d GB RAM, %s %s, load average %.1f at start, %.1f at end;"
                        + " java %s (%s); %s",
                Runtime.getRuntime().availableProcessors(), Math.round(memory / 1e9), System.getProperty("os.name"),
                System.getProperty("os.version"), LOAD_AT_START,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------------------

    /** A minimal pattern_created event: a new pattern, so every one stores a version-1 node. */
    private static String createdEvent(String name, UUID eventId) {
        return "{\"event_type\":\"pattern_created\",\"pattern_id\":\"" + randomUuid() + "\",\"pattern_name\":\""
                + name + "\",\"event_id\":\"" + eventId + "\",\"source\":\"bench\"}";
    }

    private static String batchOfCreatedEvents(String namePrefix) {
        StringBuilder sb = new StringBuilder(BATCH_SIZE * 200).append('[');
        for (int i = 0; i < BATCH_SIZE; i++) {
            sb.append(i == 0 ? "" : ",").append(createdEvent(namePrefix + i, randomUuid()));
        }
        return sb.append(']').toString();
    }

    private static String execution(UUID executionId) {
        return "{\"execution_id\":\"" + executionId + "\",\"pattern_id\":\"" + randomUuid()
                + "\",\"status\":\"success\",\"duration_ms\":12.5,\"quality_score\":0.9}";
    }

    /**
     * A version-4 UUID from ThreadLocalRandom: UUID.randomUUID() draws from one SecureRandom, which 32 sending
     * threads would contend on, on the same CPUs the service needs.
     */
    private static UUID randomUuid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = r.nextLong() & ~0xF000L | 0x4000L;
        long lsb = r.nextLong() & ~(0xC000000000000000L) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The service as a child process
    // ---------------------------------------------------------------------------------------------------------

    /** One service process with its own temporary folder (PostgreSQL data, inbox, log), on free ports. */
    static final class Service implements AutoCloseable {
        final Path dir;
        final Path inbox;
        final Path log;
        final int httpPort;
        final int pgPort;
        final Process process;
        private boolean closed;

        private Service(Path dir, int httpPort, int pgPort, Process process) {
            this.dir = dir;
            this.inbox = dir.resolve("inbox");
            this.log = dir.resolve("service.log");
            this.httpPort = httpPort;
            this.pgPort = pgPort;
            this.process = process;
        }

        /** Starts {@code java [jvmOptions] -jar target/pattern-traceability.jar} and waits until it is healthy. */
        static Service start(String name, List<String> jvmOptions) throws IOException, InterruptedException {
            Path dir = Files.createTempDirectory("ingest-bench-" + name + "-");
            int[] ports = freePorts(2);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", serviceJar.toString()));
            // working directory: the project root, so ./config and ./routes are read as operators would have them
            ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("service.log").toFile());
            Map<String, String> env = pb.environment();
            env.put("TRACEABILITY_DB_URL_EXTERNAL", "");
            env.put("TRACEABILITY_HTTP_HOST", "127.0.0.1");
            env.put("TRACEABILITY_HTTP_PORT", String.valueOf(ports[0]));
            env.put("TRACEABILITY_DB_EMBEDDED_PORT", String.valueOf(ports[1]));
            env.put("TRACEABILITY_DB_EMBEDDED_DATA_DIR", dir.resolve("postgres").toString());
            env.put("TRACEABILITY_INBOX_DIR", dir.resolve("inbox").toString());
            Service s = new Service(dir, ports[0], ports[1], pb.start());
            RUNNING.add(s);
            log("  pid %d, http 127.0.0.1:%d, postgres 127.0.0.1:%d, folder %s", s.process.pid(), ports[0],
                    ports[1], dir);
            try {
                s.awaitHealthy();
            } catch (IOException | InterruptedException | RuntimeException e) {
                s.printLogTail(40);
                s.close();
                throw e;
            }
            return s;
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + httpPort + path);
        }

        Connection connect() throws SQLException {
            Properties p = new Properties();
            p.setProperty("user", "postgres");
            p.setProperty("socketTimeout", String.valueOf(FILE_LIMIT.toSeconds()));
            return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/omninode_bridge", p);
        }

        private void awaitHealthy() throws IOException, InterruptedException {
            HttpClient client = newHttpClient();
            long start = System.nanoTime();
            long deadline = start + HEALTH_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("the service exited with code " + process.exitValue() + " before healthy");
                }
                try {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/health"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().startsWith("{\"status\":\"healthy\"")) {
                        log("  healthy after %.1f s", (System.nanoTime() - start) / 1e9);
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new IOException("the service was not healthy within " + HEALTH_TIMEOUT.toSeconds() + " s");
        }

        boolean logContains(String text) throws IOException {
            try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
                return lines.anyMatch(l -> l.contains(text));
            }
        }

        void printLogTail(int lines) {
            try {
                List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
                System.err.println("---- last lines of the service log ----");
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(System.err::println);
                System.err.println("----");
            } catch (IOException | UncheckedIOException e) {
                System.err.println("(service log not readable: " + e + ")");
            }
        }

        /** SIGTERM and wait (the service stops its embedded PostgreSQL itself); then delete the folder. */
        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                process.destroy();
                if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    log("  service pid %d did not stop within %d s: killing it", process.pid(),
                            STOP_TIMEOUT.toSeconds());
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                stopLeftoverPostgres();
                log("  service pid %d stopped (exit code %s)", process.pid(), process.isAlive() ? "still running!"
                        : process.exitValue() == 143 ? "143: SIGTERM, as expected" : process.exitValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                RUNNING.remove(this);
                deleteTree(dir);
            }
        }

        /**
         * A killed service leaves its embedded PostgreSQL running (it is started detached, through pg_ctl); its pid
         * is in postmaster.pid. Stop exactly that process so nothing of ours outlives the benchmark.
         */
        private void stopLeftoverPostgres() throws InterruptedException {
            Path pidFile = dir.resolve("postgres/postmaster.pid");
            try {
                if (!Files.exists(pidFile)) {
                    return;
                }
                long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                Optional<ProcessHandle> pg = ProcessHandle.of(pid)
                        .filter(h -> h.info().command().orElse("").contains("postgres"));
                if (pg.isPresent()) {
                    log("  stopping leftover PostgreSQL pid %d", pid);
                    pg.get().destroy();
                    try {
                        pg.get().onExit().get(30, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        pg.get().destroyForcibly();
                    }
                }
            } catch (IOException | RuntimeException e) {
                log("  could not check for a leftover PostgreSQL: %s", e);
            }
        }
    }

    /** Runs at every exit (normal end, failure, Ctrl-C, the overall time limit). */
    private static void cleanUp() {
        for (Service s : RUNNING) {
            s.close();
        }
        if (jarCopyDir != null) {
            deleteTree(jarCopyDir);
        }
    }

    private static Path builtJar() {
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
            return Path.of(classPath).toAbsolutePath();
        }
        return ROOT.resolve("target/pattern-traceability.jar");
    }

    /** The last resort against anything hanging: after the overall limit, exit (the shutdown hook cleans up). */
    private static void startWatchdog() {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(WHOLE_RUN_LIMIT.toMillis());
                System.err.println("Overall time limit of " + WHOLE_RUN_LIMIT.toMinutes() + " minutes reached;"
                        + " stopping.");
                System.exit(3);
            } catch (InterruptedException ignored) {
                // the benchmark ended first
            }
        }, "watchdog");
        t.setDaemon(true);
        t.start();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Small helpers
    // ---------------------------------------------------------------------------------------------------------

    /** Distinct free TCP ports on 127.0.0.1 (all held open together, so they differ). */
    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    /**
     * Before each scenario compared with COPY, so that the checkpoint the WAL of the scenario before forces does not
     * land in the next one (the COPY baselines of one run differed by up to a third without it).
     */
    private static void checkpoint(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }

    private static long count(Connection db, String table) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String queryString(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log("  could not delete %s completely: %s", root, e);
        }
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static void log(String format, Object... args) {
        System.out.printf("[%6.1f s] %s%n", (System.nanoTime() - STARTED_NANOS) / 1e9, String.format(format, args));
    }
}

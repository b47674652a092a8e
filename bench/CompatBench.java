import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The as-built track endpoint with a 100 KB code payload, beside our own with the same code, 16 clients each.
 *
 * <pre>
 * bench/compat.sh [requests per client per round] [rounds] [interval ms]
 * java bench/CompatBench.java BASE_URL SERVICE_PID [requests per client per round] [rounds] [interval ms]
 *      [embedded PostgreSQL data directory]
 * </pre>
 *
 * Each request is a new pattern with its own 100 KB of Python source (a different first line), as the live hook
 * sends a file after each edit: {@code pattern_created}, 16 hex pattern_id, {@code pattern_data.code}, metadata. Our
 * endpoint gets {@code pattern_created} with a pattern_name and the same code as {@code template_code}. With an
 * interval of 0 the clients are closed-loop (each sends its next request as soon as the answer arrives: the
 * service's saturation, where latency is 16 / throughput); with an interval each client starts a request every
 * interval ms (or at once when the previous one took longer), a paced load below saturation. One keep-alive
 * connection per client; the two endpoints alternate round by round after a warm-up of each (60 requests per client). Success is exactly 200
 * (ours: 201); anything else, or no answer within 5 s (the live hook's timeout), is an error. CPU time per request of
 * the service's JVM and of its embedded PostgreSQL (the JVM's child processes) is read from /proc around each
 * round.
 */
public class CompatBench {

    static final int CLIENTS = 16;
    static final int CODE_BYTES = 100 * 1024;

    public static void main(String[] args) throws Exception {
        String base = args[0];
        long pid = Long.parseLong(args[1]);
        int perClient = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        long intervalMs = args.length > 4 ? Long.parseLong(args[4]) : 0;
        pgDataDir = args.length > 5 ? args[5] : "";
        // escaped once: a request only prepends its own first line, so the load generator's CPU stays small
        String quoted = json(sourceFile());
        String code = quoted.substring(1, quoted.length() - 1);
        Map<String, Function<Integer, String>> endpoints = Map.of(
                "/api/pattern-traceability/lineage/track", i -> compatBody(code, i),
                "/api/lineage/track", i -> nativeBody(code, i));
        List<String> order = List.of("/api/pattern-traceability/lineage/track", "/api/lineage/track");
        AtomicInteger sequence = new AtomicInteger();
        for (String path : order) { // warm-up: JIT, pool, first partitions
            run(base, path, endpoints.get(path), 60, sequence, pid, 0);
        }
        List<String> rows = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            for (String path : order) {
                Result result = run(base, path, endpoints.get(path), perClient, sequence, pid, intervalMs);
                rows.add(result.row(path, r));
                System.err.println(result.row(path, r));
            }
        }
        System.out.println("| endpoint | interval ms | round | requests | errors | req/s | p50 ms | p95 ms | p99 ms"
                + " | max ms | JVM CPU ms/req | PostgreSQL CPU ms/req |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    record Result(int requests, int errors, double seconds, long[] micros, long intervalMs, double jvmCpu,
                  double pgCpu, String firstError) {
        String row(String path, int round) {
            long[] sorted = micros.clone();
            Arrays.sort(sorted);
            return String.format("| `%s` | %d | %d | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f |%s",
                    path, intervalMs, round, requests, errors, requests / seconds, pct(sorted, 0.50),
                    pct(sorted, 0.95), pct(sorted, 0.99), sorted[sorted.length - 1] / 1000.0, jvmCpu, pgCpu,
                    firstError == null ? "" : " first error: " + firstError);
        }
    }

    static double pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
    }

    static Result run(String base, String path, Function<Integer, String> body, int perClient,
                      AtomicInteger sequence, long pid, long intervalMs) throws Exception {
        int expected = path.startsWith("/api/pattern-traceability") ? 200 : 201;
        long[] micros = new long[CLIENTS * perClient];
        AtomicInteger errors = new AtomicInteger();
        String[] firstError = new String[1];
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long cpuBefore = cpuMillis(pid);
        long pgBefore = childrenCpuMillis(pid);
        long start = System.nanoTime();
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(pool.submit(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                long next = System.nanoTime() + client * intervalMs * 1_000_000 / CLIENTS; // staggered
                for (int k = 0; k < perClient; k++) {
                    long wait = next - System.nanoTime();
                    if (intervalMs > 0 && wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    next = Math.max(next + intervalMs * 1_000_000, System.nanoTime());
                    String json = body.apply(sequence.incrementAndGet());
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
                            .POST(HttpRequest.BodyPublishers.ofString(json)).build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != expected) {
                            errors.incrementAndGet();
                            firstError[0] = firstError[0] != null ? firstError[0] : r.statusCode() + " "
                                    + r.body().substring(0, Math.min(200, r.body().length()));
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError[0] = firstError[0] != null ? firstError[0] : e.toString();
                    }
                    micros[client * perClient + k] = (System.nanoTime() - t0) / 1000;
                }
                return null;
            }));
        }
        for (Future<?> f : clients) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = cpuMillis(pid) - cpuBefore;
        long pg = childrenCpuMillis(pid) - pgBefore;
        pool.shutdown();
        return new Result(micros.length, errors.get(), seconds, micros, intervalMs, (double) cpu / micros.length,
                (double) pg / micros.length, firstError[0]);
    }

    /** The embedded PostgreSQL's data directory: its postmaster is the process whose command line names it. */
    static String pgDataDir = "";

    /**
     * utime + stime of the embedded PostgreSQL (the postmaster whose command line names its data directory, and its
     * backends, the postmaster's children), in ms; the JVM's own children when no data directory is known.
     */
    static long childrenCpuMillis(long pid) throws Exception {
        Map<Long, Long> parents = new java.util.HashMap<>();
        Map<Long, Long> cpu = new java.util.HashMap<>();
        java.util.Set<Long> roots = new java.util.HashSet<>();
        if (pgDataDir.isEmpty()) {
            roots.add(pid);
        }
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (!pgDataDir.isEmpty() && new String(Files.readAllBytes(p.resolve("cmdline")))
                            .replace('\0', ' ').contains(pgDataDir)) {
                        roots.add(Long.parseLong(name));
                    }
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    parents.put(Long.parseLong(name), Long.parseLong(f[1]));
                    cpu.put(Long.parseLong(name), (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10);
                } catch (Exception gone) {
                    // the process ended meanwhile
                }
            }
        }
        long total = 0;
        for (Map.Entry<Long, Long> e : cpu.entrySet()) {
            if (roots.contains(e.getKey()) && e.getKey() != pid) {
                total += e.getValue();
                continue;
            }
            for (Long p = parents.get(e.getKey()); p != null && p > 1; p = parents.get(p)) {
                if (roots.contains(p)) {
                    total += e.getValue();
                    break;
                }
            }
        }
        return total;
    }

    /** utime + stime of the service's JVM, in milliseconds (clock ticks of 10 ms). */
    static long cpuMillis(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    /** About 100 KB of plausible Python. */
    static String sourceFile() {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        while (sb.length() < CODE_BYTES) {
            sb.append("def handler_").append(n).append("(event, context):\n")
                    .append("    \"\"\"Handle event ").append(n).append(" and return its result.\"\"\"\n")
                    .append("    value = event.get('value_").append(n).append("', ").append(n * 7 % 13).append(")\n")
                    .append("    if value > ").append(n % 10).append(":\n")
                    .append("        return {'status': 'ok', 'value': value * ").append(n % 5 + 1).append("}\n")
                    .append("    return {'status': 'skipped'}\n\n");
            n++;
        }
        return sb.substring(0, CODE_BYTES);
    }

    static String json(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** {@code code}: the source file already escaped as a JSON string's content. */
    static String compatBody(String code, int i) {
        String id = String.format("%016x", UUID.randomUUID().getMostSignificantBits());
        return "{\"event_type\":\"pattern_created\",\"pattern_id\":\"" + id + "\",\"pattern_name\":\"file_" + i
                + ".py\",\"pattern_type\":\"code\",\"pattern_version\":\"1.0.0\",\"pattern_data\":{\"code\":"
                + "\"# file " + i + "\\n" + code + "\",\"language\":\"python\",\"file_path\":\"/repo/file_" + i
                + ".py\"},\"triggered_by\":\"claude_code_hook\",\"reason\":\"Code generation via Claude Code\","
                + "\"metadata\":{\"session_id\":\"" + UUID.randomUUID() + "\",\"quality_score\":1.0,"
                + "\"violations_found\":0,\"timestamp\":\"2026-11-28T10:00:00+00:00\"}}";
    }

    static String nativeBody(String code, int i) {
        return "{\"event_type\":\"pattern_created\",\"pattern_name\":\"bench-" + UUID.randomUUID() + "\","
                + "\"pattern_type\":\"code\",\"template_code\":\"# file " + i + "\\n" + code + "\""
                + ",\"created_by\":\"claude_code_hook\",\"metadata\":{\"session_id\":\"" + UUID.randomUUID()
                + "\",\"quality_score\":1.0,\"violations_found\":0}}";
    }
}

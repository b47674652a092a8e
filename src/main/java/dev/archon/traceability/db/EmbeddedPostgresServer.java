package dev.archon.traceability.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a PostgreSQL 15 server the service starts itself, with its data kept under a directory
 * that survives restarts. Durable like any other server (fsync and synchronous_commit on), with pg_stat_statements
 * preloaded for the runbook's slow-query queries. The service's data is in the database {@value #DATABASE}, the
 * runbook's name (see {@link EmbeddedDatabase}). A JVM that was killed leaves its postgres child running; the next
 * start finds it through postmaster.pid and shuts it down first.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** The database that holds the service's data: the runbook's, so its {@code sed 's/omninode_bridge$/...'} works. */
    public static final String DATABASE = "omninode_bridge";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration ORPHAN_SHUTDOWN_WAIT = Duration.ofSeconds(30);
    private static final Set<EmbeddedPostgresServer> RUNNING = ConcurrentHashMap.newKeySet();

    private final EmbeddedPostgres postgres;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Path dataDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, FileChannel lockChannel, FileLock lock, Path dataDir) {
        this.postgres = postgres;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.dataDir = dataDir;
    }

    /** Starts the server on {@code dataDir} (created and initialised when empty); port 0 picks a free port. */
    public static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir.getParent());
        // One service per data directory: a second one would otherwise stop the first one's server as an orphan.
        Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("Another running instance uses the embedded database in " + dir
                    + "; stop it, or give this one its own traceability.db.embedded.data-dir");
        }
        try {
            stopOrphan(dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir.toFile())
                    .setCleanDataDirectory(false)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // the runbook's slow-query queries read pg_stat_statements (created by migration V12)
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // zonky's own JVM shutdown hook would stop the server the moment SIGTERM arrives, concurrently
                    // with Camel's graceful shutdown: commits still in flight would fail. It is stopped in order
                    // instead, after the routes and the ingest writer (Database.close), or by stopAll().
                    .setRegisterShutdownHook(false);
            if (port > 0) {
                builder.setPort(port);
            }
            long t0 = System.nanoTime();
            EmbeddedPostgres pg = builder.start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(pg, channel, lock, dir);
            RUNNING.add(server);
            try {
                EmbeddedDatabase.prepare(urlOnPort(pg.getPort()).withDatabase("template1"));
            } catch (RuntimeException e) {
                server.close(); // stops the server, releases the lock
                throw e;
            }
            LOG.info("Embedded PostgreSQL started in {} ms on 127.0.0.1:{}, data in {} (psql {})",
                    (System.nanoTime() - t0) / 1_000_000, pg.getPort(), dir, server.url());
            return server;
        } catch (IOException | RuntimeException e) {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
            throw e;
        }
    }

    public PostgresUrl url() {
        return urlOnPort(postgres.getPort());
    }

    /** The service's database on an embedded server listening on {@code port}. */
    static PostgresUrl urlOnPort(int port) {
        return PostgresUrl.parse("postgresql://postgres@127.0.0.1:" + port + "/" + DATABASE);
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A postgres still running on this data directory after its JVM died: ask it to shut down (SIGTERM). */
    private static void stopOrphan(Path dir) throws IOException {
        Optional<ProcessHandle> orphan = runningPostmaster(dir);
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle process = orphan.get();
        LOG.warn("Found PostgreSQL (pid {}) still running on {} from a previous run that did not stop cleanly;"
                + " shutting it down before starting", process.pid(), dir);
        process.destroy();
        try {
            process.onExit().get(ORPHAN_SHUTDOWN_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("PostgreSQL pid {} did not stop within {} s; killing it", process.pid(),
                    ORPHAN_SHUTDOWN_WAIT.toSeconds());
            process.destroyForcibly();
            process.onExit().join();
        }
    }

    /**
     * The URL of the server a running service keeps on this data directory (its port is in postmaster.pid), for the
     * command line to use beside it; empty when none runs.
     */
    public static Optional<PostgresUrl> runningServer(Path dataDir) throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (runningPostmaster(dir).isEmpty()) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(dir.resolve("postmaster.pid"));
        return lines.size() < 4 ? Optional.empty()
                : Optional.of(urlOnPort(Integer.parseInt(lines.get(3).trim())));
    }

    /** The live postmaster recorded in postmaster.pid of this data directory, if there is one. */
    public static Optional<ProcessHandle> runningPostmaster(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 2 || lines.get(0).isBlank()) {
            return Optional.empty();
        }
        long pid = Long.parseLong(lines.get(0).trim());
        Path recordedDir = Path.of(lines.get(1).trim());
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false))
                .filter(p -> sameDir(recordedDir, dir));
    }

    private static boolean sameDir(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Stops every server still running in this JVM: the last step of the process's main thread, so a start that
     * failed half-way leaves no postgres behind. (Not a shutdown hook: hooks run concurrently with Camel's orderly
     * shutdown and would stop the database under work still in flight.)
     */
    public static void stopAll() {
        for (EmbeddedPostgresServer server : RUNNING) {
            try {
                server.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Stopping the embedded PostgreSQL failed: {}", e.toString());
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (!lock.isValid()) {
            return; // already stopped
        }
        try {
            postgres.close();
            LOG.info("Embedded PostgreSQL stopped");
        } finally {
            RUNNING.remove(this);
            lock.release();
            lockChannel.close();
        }
    }
}

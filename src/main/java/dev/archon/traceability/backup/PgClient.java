package dev.archon.traceability.backup;

import dev.archon.traceability.db.PostgresUrl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The PostgreSQL client tools (pg_dump, pg_restore) run as child processes against the service's database. The
 * password travels in PGPASSWORD, never on the command line. A tool that is missing, or older than the server,
 * is reported with what to do about it.
 */
public final class PgClient {

    /** The tool could not be used: not found, wrong version, or it failed; the message says which and why. */
    public static final class ToolException extends Exception {
        public ToolException(String message) {
            super(message);
        }
    }

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

    private final String pgDump;
    private final String pgRestore;
    private final String psql;
    private final PostgresUrl url;

    public PgClient(String pgDump, String pgRestore, String psql, PostgresUrl url) {
        this.pgDump = pgDump;
        this.pgRestore = pgRestore;
        this.psql = psql;
        this.url = url;
    }

    /** The server's major version (15 for 15.x): client tools must be at least that. */
    public static int serverMajor(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    public PostgresUrl url() {
        return url;
    }

    /** Checks that {@code tool} runs and is at least the server's major version; returns its version line. */
    public String check(String tool, int serverMajor) throws ToolException {
        String command = switch (tool) {
            case "pg_restore" -> pgRestore;
            case "psql" -> psql;
            default -> pgDump;
        };
        String out;
        try {
            out = run(List.of(command, "--version")).trim();
        } catch (IOException e) {
            throw new ToolException(tool + " not found ('" + command + "': " + e.getMessage() + "). Install the"
                    + " PostgreSQL " + serverMajor + " client tools (Debian: apt-get install postgresql-client-"
                    + serverMajor + ") or point traceability.backup." + tool.replace('_', '-') + " at it.");
        }
        Matcher m = VERSION.matcher(out);
        if (!m.find()) {
            throw new ToolException("cannot tell the version of '" + command + "' from: " + out);
        }
        int major = Integer.parseInt(m.group(1));
        if (major < serverMajor) {
            throw new ToolException(tool + " " + major + " cannot handle this PostgreSQL " + serverMajor
                    + " server ('" + command + "' says: " + out + "). Install the PostgreSQL " + serverMajor
                    + " client tools (Debian: apt-get install postgresql-client-" + serverMajor + ") or point"
                    + " traceability.backup." + tool.replace('_', '-') + " at a newer one.");
        }
        return out;
    }

    /** Runs pg_dump with {@code args} after the connection; its standard output goes to {@code stdout}. */
    public void pgDump(List<String> args, OutputStream stdout) throws IOException, ToolException {
        List<String> cmd = new ArrayList<>(List.of(pgDump, "--dbname=" + url.withoutPassword()));
        cmd.addAll(args);
        runChecked(cmd, stdout, "pg_dump");
    }

    /** Runs pg_restore with {@code args}; returns its standard output. */
    public String pgRestore(List<String> args) throws IOException, ToolException {
        List<String> cmd = new ArrayList<>(List.of(pgRestore));
        cmd.addAll(args);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        runChecked(cmd, out, "pg_restore");
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Replays {@code dump} into the database as one transaction: {@code prelude} (SQL) first, then the dump's SQL
     * from pg_restore, then {@code postlude}, through psql with ON_ERROR_STOP. All of it commits, or none of it.
     */
    public void restoreInOneTransaction(Path dump, String prelude, String postlude) throws IOException,
            ToolException {
        Process restore = start(List.of(pgRestore, "--no-owner", "--file=-", dump.toString()));
        Process apply = start(List.of(psql, "--dbname=" + url.withoutPassword(), "--single-transaction", "--quiet",
                "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--file=-"));
        CompletableFuture<String> restoreErr = CompletableFuture.supplyAsync(() -> drain(restore.getErrorStream()));
        CompletableFuture<String> applyErr = CompletableFuture.supplyAsync(() -> drain(apply.getErrorStream()));
        CompletableFuture<String> applyOut = CompletableFuture.supplyAsync(() -> drain(apply.getInputStream()));
        try (OutputStream toPsql = apply.getOutputStream(); InputStream sql = restore.getInputStream()) {
            toPsql.write(prelude.getBytes(StandardCharsets.UTF_8));
            sql.transferTo(toPsql);
            toPsql.write(postlude.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // psql stopped reading (it failed): its exit status and stderr say why
        }
        try {
            restore.waitFor(6, TimeUnit.HOURS);
            apply.waitFor(6, TimeUnit.HOURS);
        } catch (InterruptedException e) {
            restore.destroy();
            apply.destroy();
            Thread.currentThread().interrupt();
            throw new ToolException("restore interrupted");
        }
        applyOut.join();
        if (restore.exitValue() != 0) {
            throw new ToolException("pg_restore failed (exit " + restore.exitValue() + "): " + restoreErr.join().trim());
        }
        if (apply.exitValue() != 0) {
            throw new ToolException("the restore was rolled back: " + applyErr.join().trim());
        }
    }

    private void runChecked(List<String> cmd, OutputStream stdout, String tool) throws IOException, ToolException {
        Process p = start(cmd);
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        try (InputStream in = p.getInputStream()) {
            in.transferTo(stdout);
        }
        try {
            if (!p.waitFor(6, TimeUnit.HOURS) || p.exitValue() != 0) {
                throw new ToolException(tool + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue())
                        + "): " + stderr.join().trim());
            }
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new ToolException(tool + " interrupted");
        }
    }

    private String run(List<String> cmd) throws IOException {
        Process p = start(cmd);
        String out = drain(p.getInputStream());
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    private Process start(List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        if (url.password() != null) {
            pb.environment().put("PGPASSWORD", url.password());
        }
        return pb.start();
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

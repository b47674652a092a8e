package dev.archon.traceability.maintenance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.json.Json;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoints over the maintenance jobs: GET /api/admin/jobs (each job's schedule, next firing and
 * last run), POST /api/admin/jobs/{name}/run (202 with a run id; 409 while that job runs; ?dry_run=true) and
 * GET /api/admin/jobs/{name}/runs (its history, newest first; ?limit=).
 */
public final class AdminApi {

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    private static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";

    /** What the schedule says of a job: enabled, cron, next firing (null when not scheduled). */
    public record Schedule(boolean enabled, String cron, String nextFire) {
    }

    /** Makes the restore job a request asks for, or throws IllegalArgumentException saying what is wrong. */
    public interface RestoreFactory {
        MaintenanceJob restore(String dump, UUID patternId) throws IOException;
    }

    private final JobRunner runner;
    private final AdminAccess access;
    private final Function<String, Schedule> schedules;
    private final RestoreFactory restores;

    public AdminApi(JobRunner runner, AdminAccess access, Function<String, Schedule> schedules,
                    RestoreFactory restores) {
        this.runner = runner;
        this.access = access;
        this.schedules = schedules;
        this.restores = restores;
    }

    public Processor listJobs() {
        return guarded(in -> {
            List<Map<String, Object>> jobs = new ArrayList<>();
            for (String name : runner.jobNames()) {
                Schedule s = schedules.apply(name);
                Map<String, Object> job = new LinkedHashMap<>();
                job.put("name", name);
                job.put("enabled", s.enabled());
                job.put("cron", s.cron());
                job.put("next_fire", s.nextFire());
                List<Map<String, Object>> last = runner.runs(name, 1);
                job.put("last_run", last.isEmpty() ? null : last.get(0));
                jobs.add(job);
            }
            return new Answer(200, Map.of("jobs", jobs));
        });
    }

    public Processor runJob() {
        return guarded(in -> {
            String name = job(in);
            if (!runner.knows(name)) {
                return error(new Problem(ErrorCode.NOT_FOUND, "name", "a restore needs a dump: POST"
                        + " /api/admin/restore {\"dump\": ...}"));
            }
            boolean dryRun = "true".equalsIgnoreCase(in.getHeader("dry_run", String.class));
            try {
                UUID id = runner.start(name, dryRun);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("run_id", id);
                body.put("job", name);
                body.put("status", "running");
                body.put("dry_run", dryRun);
                body.put("runs", "/api/admin/jobs/" + name + "/runs");
                return new Answer(202, body);
            } catch (JobRunner.AlreadyRunningException e) {
                return error(new Problem(ErrorCode.JOB_RUNNING, "name", e.getMessage()));
            }
        });
    }

    /**
     * POST /api/admin/restore {"dump": "<file name>|latest", "pattern_id": "<uuid, optional>", "dry_run": false}:
     * 202 with the run id (history under /api/admin/jobs/restore/runs); 409 while a restore runs.
     */
    public Processor restore() {
        return guarded(in -> {
            JsonNode body;
            try {
                body = Json.mapper().readTree(in.getBody(byte[].class));
            } catch (IOException | IllegalArgumentException e) {
                return error(Problem.invalid("", "expected a JSON object {\"dump\": ..., \"pattern_id\": ...}"));
            }
            if (body == null || !body.isObject() || !body.path("dump").isTextual()) {
                return error(Problem.invalid("dump", "is required: a dump file name in the backup folder, or"
                        + " \"latest\""));
            }
            UUID pattern = null;
            if (body.hasNonNull("pattern_id")) {
                try {
                    pattern = UUID.fromString(body.get("pattern_id").asText());
                } catch (IllegalArgumentException e) {
                    return error(Problem.invalid("pattern_id", "not a UUID: '" + body.get("pattern_id").asText()
                            + "'"));
                }
            }
            boolean dryRun = body.path("dry_run").asBoolean(false);
            MaintenanceJob job;
            try {
                job = restores.restore(body.get("dump").asText(), pattern);
            } catch (IllegalArgumentException | IOException e) {
                return error(Problem.invalid("dump", e.getMessage()));
            }
            try {
                UUID id = runner.startOnce(job, dryRun);
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("run_id", id);
                answer.put("job", job.name());
                answer.put("status", "running");
                answer.put("dry_run", dryRun);
                answer.put("runs", "/api/admin/jobs/restore/runs");
                return new Answer(202, answer);
            } catch (JobRunner.AlreadyRunningException e) {
                return error(new Problem(ErrorCode.JOB_RUNNING, "", e.getMessage()));
            }
        });
    }

    public Processor jobRuns() {
        return guarded(in -> {
            String name = job(in);
            int limit = 20;
            String given = in.getHeader("limit", String.class);
            if (given != null) {
                try {
                    limit = Integer.parseInt(given);
                } catch (NumberFormatException e) {
                    return error(Problem.invalid("limit", "expected a whole number, got '" + given + "'"));
                }
                if (limit < 1 || limit > 1000) {
                    return error(Problem.invalid("limit", "must be between 1 and 1000"));
                }
            }
            return new Answer(200, Map.of("job", name, "runs", runner.runs(name, limit)));
        });
    }

    private record Answer(int status, Object body) {
    }

    private interface Handler {
        Answer handle(Message in) throws SQLException, UnknownJob;
    }

    private static final class UnknownJob extends Exception {
        UnknownJob(String message) {
            super(message);
        }
    }

    private String job(Message in) throws UnknownJob {
        String name = in.getHeader("name", String.class);
        if (name == null || !runner.knows(name) && !"restore".equals(name)) {
            throw new UnknownJob("no job '" + name + "'; jobs: " + String.join(", ", runner.jobNames()));
        }
        return name;
    }

    private Processor guarded(Handler handler) {
        return exchange -> {
            Message in = exchange.getMessage();
            Object remote = in.getHeader(REMOTE_ADDRESS);
            String host = remote instanceof SocketAddress a ? a.hostAddress()
                    : remote == null ? null : remote.toString();
            Optional<Problem> denied = access.check(in.getHeader("Authorization", String.class), host);
            Answer answer;
            if (denied.isPresent()) {
                answer = error(denied.get());
            } else {
                try {
                    answer = handler.handle(in);
                } catch (UnknownJob e) {
                    answer = error(new Problem(ErrorCode.NOT_FOUND, "name", e.getMessage()));
                } catch (SQLException e) {
                    answer = error(new Problem(ErrorCode.DATABASE_ERROR, "", "database unavailable: " + e.getMessage()));
                } catch (RuntimeException e) {
                    LOG.error("Admin request failed", e);
                    answer = error(new Problem(ErrorCode.INTERNAL_ERROR, "", String.valueOf(e)));
                }
            }
            Message out = exchange.getMessage();
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
            out.setHeader(Exchange.CONTENT_TYPE, "application/json");
            out.setBody(Json.bytes(answer.body()));
        };
    }

    private static Answer error(Problem p) {
        return new Answer(p.code().httpStatus(), p.envelope(UUID.randomUUID().toString()));
    }
}

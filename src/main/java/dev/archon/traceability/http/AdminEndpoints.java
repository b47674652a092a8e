package dev.archon.traceability.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.backup.Restores;
import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.jobs.Job;
import dev.archon.traceability.jobs.JobRunner;
import dev.archon.traceability.jobs.JobSchedules;
import dev.archon.traceability.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The admin endpoints over the jobs: GET /api/admin/jobs (each job's schedule, next firing and last run),
 * POST /api/admin/jobs/{name}/run (202 with a run id; 409 while that job runs; ?dry_run=true),
 * GET /api/admin/jobs/{name}/runs (its history, newest first; ?limit=) and POST /api/admin/restore. Each request
 * passes {@link AdminAccess} first.
 */
public final class AdminEndpoints {

    private final JobRunner runner;
    private final AdminAccess access;
    private final JobSchedules schedules;
    private final Restores restores;

    public AdminEndpoints(JobRunner runner, AdminAccess access, JobSchedules schedules, Restores restores) {
        this.runner = runner;
        this.access = access;
        this.schedules = schedules;
        this.restores = restores;
    }

    private interface Handler {
        HttpAnswer handle(Message in) throws Exception;
    }

    public Processor listJobs() {
        return guarded(in -> {
            List<Map<String, Object>> jobs = new ArrayList<>();
            for (String name : runner.jobNames()) {
                JobSchedules.Schedule s = schedules.schedule(name);
                Map<String, Object> job = new LinkedHashMap<>();
                job.put("name", name);
                job.put("enabled", s.enabled());
                job.put("cron", s.cron());
                job.put("next_fire", s.nextFire());
                List<Map<String, Object>> last = runner.history().runs(name, 1);
                job.put("last_run", last.isEmpty() ? null : last.get(0));
                jobs.add(job);
            }
            return HttpAnswer.ok(Map.of("jobs", jobs));
        });
    }

    public Processor runJob() {
        return guarded(in -> {
            String name = job(in);
            if (!runner.knows(name)) {
                throw new ProblemException(ErrorCode.NOT_FOUND, "name", "a restore needs a dump: POST"
                        + " /api/admin/restore {\"dump\": ...}");
            }
            boolean dryRun = Params.bool(in, "dry_run", false);
            return started(name, job -> runner.start(job, dryRun), dryRun);
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
                throw Params.invalid("", "expected a JSON object {\"dump\": ..., \"pattern_id\": ...}");
            }
            if (body == null || !body.isObject() || !body.path("dump").isTextual()) {
                throw Params.invalid("dump", "is required: a dump file name in the backup folder, or \"latest\"");
            }
            UUID pattern = null;
            if (body.hasNonNull("pattern_id")) {
                try {
                    pattern = UUID.fromString(body.get("pattern_id").asText());
                } catch (IllegalArgumentException e) {
                    throw Params.invalid("pattern_id", "not a UUID: '" + body.get("pattern_id").asText() + "'");
                }
            }
            boolean dryRun = body.path("dry_run").asBoolean(false);
            Job job;
            try {
                job = restores.fromBackupFolder(body.get("dump").asText(), pattern);
            } catch (IllegalArgumentException | IOException e) {
                throw Params.invalid("dump", e.getMessage());
            }
            return started("restore", name -> runner.startOnce(job, dryRun), dryRun);
        });
    }

    public Processor jobRuns() {
        return guarded(in -> {
            String name = job(in);
            int limit = Params.integer(in, "limit", 20, 1, 1000);
            return HttpAnswer.ok(Map.of("job", name, "runs", runner.history().runs(name, limit)));
        });
    }

    private interface Start {
        UUID start(String job) throws Exception;
    }

    /** 202 with the new run's id, or 409 JOB_RUNNING. */
    private static HttpAnswer started(String job, Start start, boolean dryRun) throws Exception {
        UUID id;
        try {
            id = start.start(job);
        } catch (JobRunner.AlreadyRunningException e) {
            throw new ProblemException(ErrorCode.JOB_RUNNING, "name", e.getMessage());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("run_id", id);
        answer.put("job", job);
        answer.put("status", "running");
        answer.put("dry_run", dryRun);
        answer.put("runs", "/api/admin/jobs/" + job + "/runs");
        return new HttpAnswer(202, answer);
    }

    private String job(Message in) {
        String name = in.getHeader("name", String.class);
        if (name == null || !runner.knows(name) && !"restore".equals(name)) {
            throw new ProblemException(ErrorCode.NOT_FOUND, "name", "no job '" + name + "'; jobs: "
                    + String.join(", ", runner.jobNames()));
        }
        return name;
    }

    private Processor guarded(Handler handler) {
        return exchange -> {
            Message in = exchange.getMessage();
            access.require(in);
            handler.handle(in).writeTo(exchange);
        };
    }
}

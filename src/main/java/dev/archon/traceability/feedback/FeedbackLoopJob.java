package dev.archon.traceability.feedback;

import dev.archon.traceability.jobs.Job;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The scheduled door of the feedback loop (job {@code feedback-loop}, clustered Quartz like the maintenance jobs, off
 * by default): starts a workflow, with the default parameters, for every pattern with at least min_sample_size
 * executions in the window started since its last workflow. A pattern whose workflow is still running is skipped.
 * A dry run lists the patterns it would start.
 */
public final class FeedbackLoopJob implements Job {

    private final FeedbackLoop loop;
    private final DataSource dataSource;
    private final Clock clock;

    public FeedbackLoopJob(FeedbackLoop loop, DataSource dataSource, Clock clock) {
        this.loop = loop;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "feedback-loop";
    }

    @Override
    public Map<String, Object> run(boolean dryRun) throws Exception {
        WorkflowParameters defaults = loop.defaults();
        Instant now = clock.instant();
        Map<UUID, Long> due;
        try (Connection c = dataSource.getConnection()) {
            due = WindowQueries.eligible(c, now.minus(Duration.ofDays(defaults.timeWindowDays())), now,
                    defaults.minSampleSize());
        }
        List<Map<String, Object>> started = new ArrayList<>();
        List<UUID> running = new ArrayList<>();
        for (Map.Entry<UUID, Long> e : due.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pattern_id", e.getKey());
            m.put("new_executions", e.getValue());
            if (dryRun) {
                started.add(m);
                continue;
            }
            Optional<UUID> id = loop.start(e.getKey(), "schedule", defaults);
            if (id.isPresent()) {
                m.put("workflow_id", id.get());
                started.add(m);
            } else {
                running.add(e.getKey());
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("patterns_due", due.size());
        report.put(dryRun ? "would_start" : "started", started);
        report.put("skipped_running", running);
        report.put("parameters", defaults.asMap());
        return report;
    }
}

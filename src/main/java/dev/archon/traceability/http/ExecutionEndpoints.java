package dev.archon.traceability.http;

import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.executions.ExecutionLog;
import dev.archon.traceability.executions.ExecutionLog.Window;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The steps of the execution log routes (routes/executions-api.yaml) that are not SQL: checking the query
 * parameters (400 naming the parameter and what it accepts) and setting the query's named parameters from them, and
 * shaping the rows into the answer (the page's next_cursor, the summary's truncation).
 *
 * <p>Every named parameter of a query is set here, null when not given, so no request header of the same name can
 * reach the SQL.
 */
public final class ExecutionEndpoints {

    private final ExecutionLog log;

    public ExecutionEndpoints(ExecutionLog log) {
        this.log = log;
    }

    /** GET /api/executions: the filters, the window, the page size and the cursor as hook_executions_page's arguments. */
    public Processor pageRequest() {
        return exchange -> {
            Message in = exchange.getMessage();
            UUID pattern = Params.optionalUuid(in, "pattern_id");
            UUID node = Params.optionalUuid(in, "node_id");
            String session = Params.string(in, "session_id");
            String correlation = Params.string(in, "correlation_id");
            String agent = Params.string(in, "agent");
            String status = Params.oneOf(in, "status", null, ExecutionLog.STATUSES);
            Window window = log.pageWindow(Params.instant(in, "since"), Params.instant(in, "until"));
            int limit = Params.integer(in, "limit", log.defaultLimit(), 1, log.maxLimit());
            Cursor after = Cursor.after(in);
            in.setHeader("pattern_id", pattern);
            in.setHeader("node_id", node);
            in.setHeader("session_id", session);
            in.setHeader("correlation_id", correlation);
            in.setHeader("agent", agent);
            in.setHeader("status", status);
            in.setHeader("since", timestamp(window.since()));
            in.setHeader("until", timestamp(window.until()));
            in.setHeader("after_started_at", after == null ? null : timestamp(after.at()));
            in.setHeader("after_execution_id", after == null ? null : after.id());
            in.setHeader("limit", limit);
            // one row more than the page: whether it comes back says whether there is a next page
            in.setHeader("page_rows", limit + 1);
        };
    }

    /** The rows as {executions, limit, next_cursor}; next_cursor is null on the last page. */
    public Processor pageAnswer() {
        return exchange -> {
            Message in = exchange.getMessage();
            int limit = in.getHeader("limit", Integer.class);
            List<Map<String, Object>> rows = rows(in);
            boolean more = rows.size() > limit;
            List<Map<String, Object>> page = more ? rows.subList(0, limit) : rows;
            String next = null;
            if (more) {
                Map<String, Object> last = page.get(page.size() - 1);
                next = new Cursor(((Timestamp) last.get("started_at")).toInstant(), (UUID) last.get("execution_id"))
                        .encode();
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("executions", page);
            answer.put("limit", limit);
            answer.put("next_cursor", next);
            in.setBody(answer);
        };
    }

    /** GET /api/executions/summary: group_by (required) and the window, defaults applied. */
    public Processor summaryRequest() {
        return exchange -> {
            Message in = exchange.getMessage();
            String groupBy = Params.oneOf(in, "group_by", null, ExecutionLog.GROUPS);
            if (groupBy == null) {
                throw new ProblemException(Problem.invalid("group_by", "is required: one of "
                        + String.join(", ", ExecutionLog.GROUPS)));
            }
            Window window = log.summaryWindow(Params.instant(in, "since"), Params.instant(in, "until"));
            in.setHeader("group_by", groupBy);
            in.setHeader("since", timestamp(window.since()));
            in.setHeader("until", timestamp(window.until()));
            in.setHeader("max_groups", log.maxGroups());
        };
    }

    /**
     * The groups as {group_by, since, until, groups, total_groups, truncated, max_groups}: the largest groups first;
     * truncated when there were more than max_groups.
     */
    public Processor summaryAnswer() {
        return exchange -> {
            Message in = exchange.getMessage();
            List<Map<String, Object>> rows = rows(in);
            long total = 0;
            List<Map<String, Object>> groups = new ArrayList<>(rows.size());
            for (Map<String, Object> row : rows) {
                total = ((Number) row.remove("total_groups")).longValue();
                groups.add(row);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("group_by", in.getHeader("group_by"));
            answer.put("since", in.getHeader("since", OffsetDateTime.class).toInstant());
            answer.put("until", in.getHeader("until", OffsetDateTime.class).toInstant());
            answer.put("groups", groups);
            answer.put("total_groups", total);
            answer.put("truncated", total > groups.size());
            answer.put("max_groups", log.maxGroups());
            in.setBody(answer);
        };
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Message in) {
        return in.getBody(List.class);
    }

    /** A time as the JDBC driver binds a timestamptz. */
    private static OffsetDateTime timestamp(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}

-- Seed of bench/executions.sh: 10,000,000 hook_executions over the 90 days before the seed (three or four monthly
-- partitions), 1,000 patterns of 4 versions, 50 agents, 20 projects, 200,000 sessions, statuses 93 % success, 6 %
-- failure, 1 % timeout. Rows are written straight with SQL (the log's read path is what is measured, not ingest).
SELECT ensure_monthly_partition('hook_executions'::regclass, (date_trunc('month', now() - interval '90 days')
        + make_interval(months => m))::date)
  FROM generate_series(0, 4) AS m;

INSERT INTO hook_executions (execution_id, pattern_id, node_id, hook_type, status, duration_ms, quality_score,
                             agent, project, session_id, correlation_id, started_at)
SELECT md5('exec-' || i)::uuid,
       md5('pattern-' || (i % 1000))::uuid,
       md5('node-' || (i % 1000) || '-' || (i % 4))::uuid,
       (ARRAY['pre_tool_use', 'post_tool_use', 'user_prompt_submit'])[1 + i % 3],
       CASE WHEN i % 100 = 7 THEN 'timeout' WHEN i % 100 < 7 THEN 'failure' ELSE 'success' END,
       20 + (i % 997),
       (i % 101) / 100.0,
       'agent-' || (i % 50),
       'project-' || (i % 20),
       'session-' || (i % 200000),
       'corr-' || (i / 10),
       now() - interval '90 days' + (i * interval '90 days' / 10000000)
  FROM generate_series(0, 9999999) AS i;

ANALYZE hook_executions;

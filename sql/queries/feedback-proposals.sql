-- GET /api/feedback-loop/proposals: proposals newest first, of one pattern and/or in one status, keyset-paginated on
-- (created_at, proposal_id); one row more than the page tells whether there is a next one.
SELECT proposal_id, workflow_id, pattern_id, kind, metric, parent_node_id, child_node_id, status, reasons, p_value,
       confidence, test, edge_id, decided_by, decision_note, created_at, decided_at
  FROM feedback_proposals
 WHERE (CAST(:#pattern_id AS uuid) IS NULL OR pattern_id = CAST(:#pattern_id AS uuid))
   AND (CAST(:#status AS text) IS NULL OR status = CAST(:#status AS text))
   AND (CAST(:#after_at AS timestamptz) IS NULL
        OR (created_at, proposal_id) < (CAST(:#after_at AS timestamptz), CAST(:#after_id AS uuid)))
 ORDER BY created_at DESC, proposal_id DESC
 LIMIT CAST(:#fetch AS integer)

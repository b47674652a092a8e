-- GET /api/feedback/pattern/{pattern_id}: one page of the pattern's feedback, newest first, keyset-paginated on
-- (created_at, feedback_id) through idx_pattern_feedback_pattern_created; one row more than the page tells whether
-- there is a next one.
SELECT feedback_id, pattern_id, node_id, execution_id, feedback_type, rating, sentiment, comments, metadata, user_id,
       source, correlation_id, created_at, received_at
  FROM pattern_feedback
 WHERE pattern_id = CAST(:#pattern_id AS uuid)
   AND (CAST(:#feedback_type AS text) IS NULL OR feedback_type = CAST(:#feedback_type AS text))
   AND (CAST(:#after_at AS timestamptz) IS NULL
        OR (created_at, feedback_id) < (CAST(:#after_at AS timestamptz), CAST(:#after_id AS uuid)))
 ORDER BY created_at DESC, feedback_id DESC
 LIMIT CAST(:#fetch AS integer)

-- GET /api/feedback/pattern/{pattern_id}: the aggregates over all of the pattern's feedback of the type asked for
-- (every type when none), not only the page; pattern_known tells an unknown pattern (404) from one without feedback.
SELECT count(*) AS total,
       round(avg(rating), 3)::float8 AS average_rating,
       count(rating) AS ratings,
       count(*) FILTER (WHERE sentiment = 'positive') AS positive,
       count(*) FILTER (WHERE sentiment = 'neutral') AS neutral,
       count(*) FILTER (WHERE sentiment = 'negative') AS negative,
       EXISTS (SELECT 1 FROM lineage_patterns p WHERE p.pattern_id = CAST(:#pattern_id AS uuid)) AS pattern_known
  FROM pattern_feedback
 WHERE pattern_id = CAST(:#pattern_id AS uuid)
   AND (CAST(:#feedback_type AS text) IS NULL OR feedback_type = CAST(:#feedback_type AS text))

-- idx_lineage_patterns_name_prefix (V7) served no query: pattern search matches names by substring
-- (lower(pattern_name) LIKE '%q%', the trigram index where pg_trgm is available), which a btree cannot answer, and it
-- cost every new pattern one more index insert in the ingest transaction (refresh_lineage_patterns): about a quarter
-- of that function's time for a batch of new patterns (BENCHMARKS.md, "Ingest throughput").
DROP INDEX IF EXISTS idx_lineage_patterns_name_prefix;

-- Statistics for V11's new column: until lineage_patterns is analyzed, the planner guesses 0.5 % of the rows for
-- "external_pattern_id = ?", and pattern search (a name substring OR an external id) then walks the activity index
-- instead of the trigram bitmap: 62 ms instead of 7 ms over 100,000 patterns (BENCHMARKS.md, "Lineage reads").
-- Autovacuum analyzes the table only after enough rows change.
ANALYZE lineage_patterns;

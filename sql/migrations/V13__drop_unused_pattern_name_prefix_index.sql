-- idx_lineage_patterns_name_prefix (V7) served no query: pattern search matches names by substring
-- (lower(pattern_name) LIKE '%q%', the trigram index where pg_trgm is available), which a btree cannot answer, and it
-- cost every new pattern one more index insert in the ingest transaction (refresh_lineage_patterns): about a quarter
-- of that function's time for a batch of new patterns (BENCHMARKS.md, "Ingest throughput").
DROP INDEX IF EXISTS idx_lineage_patterns_name_prefix;

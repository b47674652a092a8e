-- Pattern search (GET /api/lineage/patterns?q=) asks for lower(pattern_name) LIKE '%q%', newest activity first,
-- through the trigram index of V7. Two settings of that index keep it fast (BENCHMARKS.md, "Lineage reads").
--
-- The planner's statistics. It chooses between the trigram index (collect the matches, sort them) and walking the
-- activity index until a page of matches is found, from its estimate of how many names match. With the default
-- statistics target (100 histogram entries) that estimate is 1 % of the table whenever one histogram entry happens
-- to match and nearly nothing otherwise: over 100,000 names sharing a prefix, about one search in eleven was
-- estimated at 1,010 matches for its 111, walked the activity index through 89,000 rows and took 75 to 140 ms
-- instead of 5 to 9 ms. A histogram of 1,000 entries on the indexed expression estimates such a search within its
-- order of magnitude, and still sends a search that matches most names (q=bench) along the activity index, where a
-- page is found at once. ANALYZE reads 300,000 rows for it: the whole table up to that size.
--
-- The pending list. A GIN index takes new entries into an unsorted pending list (fastupdate) that every search
-- reads in full until the list is merged into the index, when it outgrows gin_pending_list_limit (4 MB by default)
-- or at a vacuum. 4 MB is about 10,000 new patterns: searches of 5 to 9 ms took 50 to 100 ms before the merge. At
-- 512 kB (about 1,250 patterns) a search reads at most a few milliseconds of it, and merging costs the summaries'
-- refresh about a fifth more than with 4 MB; merging every entry at once (fastupdate off) cost it three to four times.
DO $$
BEGIN
    IF to_regclass('idx_lineage_patterns_name_trgm') IS NOT NULL THEN -- V7: only where pg_trgm is available
        ALTER INDEX idx_lineage_patterns_name_trgm ALTER COLUMN 1 SET STATISTICS 1000;
        ALTER INDEX idx_lineage_patterns_name_trgm SET (gin_pending_list_limit = 512);
    END IF;
END
$$;
ANALYZE lineage_patterns;

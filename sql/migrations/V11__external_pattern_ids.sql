-- External pattern identity (the as-built Archon API, /api/pattern-traceability/*, and its hook clients): those
-- clients name a pattern with an opaque, case-sensitive string of up to 255 characters (16 hex characters,
-- "python-code-<12hex>", free text) and a version with a free string ("1.0.0"). Both are kept as given on the node
-- the event created, beside our UUID model: the pattern's UUID is the name-based UUID of "external:" + the string
-- (dev.archon.traceability.lineage.PatternIds), its version_number counts on as for any pattern. A lookup by the
-- string alone takes the newest node, as the as-built service did:
--   SELECT * FROM lineage_nodes WHERE external_pattern_id = 'a1b2c3d4e5f6a7b8' ORDER BY created_at DESC LIMIT 1;
-- NULL for patterns that came through our own API.
ALTER TABLE lineage_nodes
    ADD COLUMN external_pattern_id text CHECK (char_length(external_pattern_id) BETWEEN 1 AND 255),
    ADD COLUMN external_version    text;

CREATE INDEX idx_lineage_nodes_external ON lineage_nodes (external_pattern_id, created_at DESC)
    WHERE external_pattern_id IS NOT NULL;

-- The pattern list (GET /api/lineage/patterns?q=) finds a pattern by its external id too.
ALTER TABLE lineage_patterns ADD COLUMN external_pattern_id text;

CREATE INDEX idx_lineage_patterns_external ON lineage_patterns (external_pattern_id)
    WHERE external_pattern_id IS NOT NULL;

-- pg_stat_statements, which the runbook's slow-query queries read (SELECT ... FROM pg_stat_statements WHERE query
-- LIKE '%lineage_%'). Created where the server offers it and the user may create it; otherwise skipped with a line in
-- the log (Flyway logs the warning as "DB: pg_stat_statements skipped: ..."), never a failed start: the service does
-- not need it.
-- The embedded default preloads the library (shared_preload_libraries); an external server needs that setting too,
-- and a restart, before the view returns rows.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements') THEN
        RAISE WARNING 'pg_stat_statements skipped: this server does not offer the extension (PostgreSQL contrib); the runbook''s slow-query queries will not work until it is installed and created';
        RETURN;
    END IF;
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE WARNING 'pg_stat_statements skipped: user % may not create it; a superuser can run CREATE EXTENSION pg_stat_statements in database %', current_user, current_database();
        RETURN;
    END;
    IF NOT 'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''),
                                                        ',')) THEN
        RAISE WARNING 'pg_stat_statements created, but the server does not preload it: add it to shared_preload_libraries and restart the server, or the view answers an error';
    END IF;
END
$$;

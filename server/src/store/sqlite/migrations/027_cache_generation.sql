-- Nothing to do on SQLite: its read cache (store/sqlite/read-cache.ts) lives in the one process
-- that writes the database, and every write through it clears the cache before it returns.
-- PostgreSQL's 027 adds the generation several instances check their cached rows against; this
-- file keeps the two engines' migration lists the same.
SELECT 1;

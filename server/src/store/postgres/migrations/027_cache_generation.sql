-- The read cache's generation (store/postgres/read-cache.ts): one number, moved by every change
-- the cache notification of migration 013 announces, in the same transaction as the change.
-- A notification arrives some time after the commit (or never, on a connection that died
-- silently); the generation is exact at once. An operation that decided with cached rows
-- carries the generation they were read at and is refused, with no effect, when it has moved.
-- A last-use time written on use moves nothing, as it notifies nothing.
CREATE TABLE otpkit_cache_generation (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  generation bigint NOT NULL
);
INSERT INTO otpkit_cache_generation (one, generation) VALUES (true, 1);

-- Statement-level where 013 notifies per statement: a revocation of many rows moves it once.
-- The table is named in the changed table's schema: a session with another search_path (an
-- operator's psql, a test's admin connection) moves the right one.
CREATE FUNCTION otpkit_bump_cache_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('UPDATE %I.otpkit_cache_generation SET generation = generation + 1', TG_TABLE_SCHEMA);
  RETURN NULL;
END
$$;

CREATE TRIGGER widgets_cache_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON widgets
  FOR EACH STATEMENT EXECUTE FUNCTION otpkit_bump_cache_generation();
CREATE TRIGGER templates_cache_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON templates
  FOR EACH STATEMENT EXECUTE FUNCTION otpkit_bump_cache_generation();

CREATE TRIGGER widget_tokens_cache_generation AFTER INSERT OR DELETE OR TRUNCATE ON widget_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION otpkit_bump_cache_generation();
CREATE TRIGGER widget_tokens_cache_generation_update AFTER UPDATE ON widget_tokens FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
  EXECUTE FUNCTION otpkit_bump_cache_generation();

CREATE TRIGGER authkeys_cache_generation AFTER INSERT OR DELETE OR TRUNCATE ON authkeys
  FOR EACH STATEMENT EXECUTE FUNCTION otpkit_bump_cache_generation();
CREATE TRIGGER authkeys_cache_generation_update AFTER UPDATE ON authkeys FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
  EXECUTE FUNCTION otpkit_bump_cache_generation();

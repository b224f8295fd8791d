-- Each otpkit instance caches widgets, widget tokens, authkeys and templates (store/postgres/
-- read-cache.ts) and LISTENs on `otpkit_cache`: any change to those tables notifies it when the
-- change commits, so every instance drops what it cached (a revoked token is refused at once).
-- A last-use time written on use is not a change worth clearing caches for.
CREATE FUNCTION otpkit_notify_cache() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('otpkit_cache', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER widgets_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON widgets
  FOR EACH STATEMENT EXECUTE FUNCTION otpkit_notify_cache();
CREATE TRIGGER templates_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON templates
  FOR EACH STATEMENT EXECUTE FUNCTION otpkit_notify_cache();

CREATE TRIGGER widget_tokens_cache AFTER INSERT OR DELETE OR TRUNCATE ON widget_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION otpkit_notify_cache();
CREATE TRIGGER widget_tokens_cache_update AFTER UPDATE ON widget_tokens FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
  EXECUTE FUNCTION otpkit_notify_cache();

CREATE TRIGGER authkeys_cache AFTER INSERT OR DELETE OR TRUNCATE ON authkeys
  FOR EACH STATEMENT EXECUTE FUNCTION otpkit_notify_cache();
CREATE TRIGGER authkeys_cache_update AFTER UPDATE ON authkeys FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
  EXECUTE FUNCTION otpkit_notify_cache();

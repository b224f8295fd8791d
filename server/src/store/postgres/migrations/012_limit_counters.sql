-- Rate limits counted by the store (store/postgres/counters.ts) instead of rate-limiter-flexible:
-- all of a call's keys in one round trip. Same table, rows and fixed-window meaning as
-- rate-limiter-flexible's upsert (points spent in the window that ends at `expire`, ms since the
-- epoch; a window starts at the first hit after the previous one ended), so counters of a running
-- deployment carry over. Keys are counted in order and counting stops at the first key past its
-- limit (the keys after it are not spent); the answer is that key's place (0-based) and the time
-- left in its window, or no row. Each upsert locks its row until the statement commits, so
-- instances hammering one key never admit more than its limit; a call's keys always come in the
-- same order of scopes, so two calls cannot wait on each other's rows.
CREATE FUNCTION otpkit_limit_hits(keys text[], limits integer[], windows_ms bigint[], now_ms bigint)
RETURNS TABLE (refused integer, ms_before_next bigint)
LANGUAGE plpgsql AS $$
DECLARE
  spent integer;
  window_end bigint;
BEGIN
  FOR i IN 1 .. coalesce(array_length(keys, 1), 0) LOOP
    INSERT INTO rate_limits AS r (key, points, expire) VALUES (keys[i], 1, now_ms + windows_ms[i])
    ON CONFLICT (key) DO UPDATE SET
      points = CASE WHEN r.expire <= now_ms THEN 1 ELSE r.points + 1 END,
      expire = CASE WHEN r.expire <= now_ms THEN excluded.expire ELSE r.expire END
    RETURNING r.points, r.expire INTO spent, window_end;
    IF spent > limits[i] THEN
      refused := i - 1;
      ms_before_next := CASE WHEN window_end IS NULL THEN -1 ELSE window_end - now_ms END;
      RETURN NEXT;
      RETURN;
    END IF;
  END LOOP;
END
$$;

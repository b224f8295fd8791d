-- A call's rate-limit counters and its SMS-pumping counter, spent all or nothing in one round trip
-- (store/postgres/counters.ts). Keys are counted in order, as otpkit_limit_hits (012) counts them;
-- at the first key past its limit, or when this hour's pumping count (bumped last, when
-- pump_widget is given) goes above pump_ceiling, every point this call added is taken back before
-- the function returns, so a refused call spends nothing: a caller refused for its own network,
-- identifier or country never uses up a widget's quota. The rows stay locked by this statement
-- from their upsert to its commit, so taking a point back restores exactly what was there.
-- Answers one row for a refusal (refused: the key's place, 0-based, or NULL for the pumping
-- brake with its count), none when everything was spent.
CREATE FUNCTION otpkit_count_hits(
  keys text[], limits integer[], windows_ms bigint[], now_ms bigint,
  pump_widget text, pump_country text, pump_hour bigint, pump_ceiling double precision
)
RETURNS TABLE (refused integer, ms_before_next bigint, pumping_count integer)
LANGUAGE plpgsql AS $$
DECLARE
  spent integer;
  window_end bigint;
  n integer := coalesce(array_length(keys, 1), 0);
BEGIN
  FOR i IN 1 .. n LOOP
    INSERT INTO rate_limits AS r (key, points, expire) VALUES (keys[i], 1, now_ms + windows_ms[i])
    ON CONFLICT (key) DO UPDATE SET
      points = CASE WHEN r.expire <= now_ms THEN 1 ELSE r.points + 1 END,
      expire = CASE WHEN r.expire <= now_ms THEN excluded.expire ELSE r.expire END
    RETURNING r.points, r.expire INTO spent, window_end;
    IF spent > limits[i] THEN
      UPDATE rate_limits SET points = points - 1 WHERE key = ANY (keys[1:i]);
      refused := i - 1;
      ms_before_next := CASE WHEN window_end IS NULL THEN -1 ELSE window_end - now_ms END;
      RETURN NEXT;
      RETURN;
    END IF;
  END LOOP;
  IF pump_widget IS NOT NULL THEN
    INSERT INTO send_counters AS s (widget_id, country, hour, count)
    VALUES (pump_widget, pump_country, pump_hour, 1)
    ON CONFLICT (widget_id, country, hour) DO UPDATE SET count = s.count + 1
    RETURNING s.count INTO spent;
    IF spent > pump_ceiling THEN
      UPDATE send_counters SET count = count - 1
      WHERE widget_id = pump_widget AND country = pump_country AND hour = pump_hour;
      UPDATE rate_limits SET points = points - 1 WHERE key = ANY (keys);
      pumping_count := spent;
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;
END
$$;

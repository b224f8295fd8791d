-- Performance: a code check and a send rewrote each request row more often, and more expensively,
-- than they need to (measured with pgbench on the bench's machine: see BENCHMARKS.md,
-- "PostgreSQL: cheaper writes of a request row").
--
-- 1. Fewer indexes to rewrite. otp_requests_pending (widget_id, identifier WHERE status =
--    'pending') names `status` in its predicate, so no status change (a verification, a
--    superseded code, an expiry) could be a HOT update: each new row version got a new entry in
--    every index of the table. With otp_requests_latest it also put every send on two more
--    random index pages. SQLite dropped both in its 013; the log search's index (identifier,
--    created_at) serves the same lookups, an identifier having few requests, and no index left
--    holds a column a verification, a delivery or a redemption changes.
DROP INDEX otp_requests_pending;
DROP INDEX otp_requests_latest;

-- 2. Room for those updates on the row's own page: a HOT update only happens when the new
--    version fits the page of the old one, and pages filled by inserts have none. (New pages
--    only: existing ones keep their layout until rewritten.)
ALTER TABLE otp_requests SET (fillfactor = 80);

-- 3. A send's request is inserted with its first message's log columns (store/postgres/operations.ts,
--    as SQLite's adapter does since its 010); the message trigger now only rewrites the request for
--    later messages (resends, fallbacks), which it tells by that id.
CREATE OR REPLACE FUNCTION messages_log_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE otp_requests SET last_message_id = NEW.id, delivery_status = NEW.status,
    log_channels = log_channels | otpkit_channel_bit(NEW.channel)
  WHERE id = NEW.request_id AND last_message_id IS DISTINCT FROM NEW.id;
  RETURN NULL;
END
$$;

-- 4. A code check writes the request once: the row is locked (FOR NO KEY UPDATE, what the UPDATE
--    took) with the same conditions the claiming UPDATE had, the code and the guess budget are
--    checked, then one UPDATE either counts the attempt (a wrong code) or verifies the request (a
--    right one, whose attempt is not counted, as before: counted, then given back). 024 updated the
--    row twice for a right code and gave the attempt back on a refusal of the guess budget; now
--    a refusal leaves the row as it was without writing it. Outcomes, arguments and lock order
--    (the call's counters, the request, the guess budget, the rollup row) are 024's.
CREATE OR REPLACE FUNCTION otpkit_verify(
  keys text[], limits integer[], windows_ms bigint[], limits_now bigint,
  request_id text, for_widget text, now_ms bigint, candidates text[],
  guess_prefix text, guess_points integer, guess_window_ms bigint,
  token_jti text, token_issued_at bigint, token_expires_at bigint,
  event_widget text, event_kind text, event_ip text, event_host text, event_user_agent text,
  event_at bigint, event_identifier text
)
RETURNS TABLE (outcome text, refused integer, ms_before_next bigint, request otp_requests, event_error text)
LANGUAGE plpgsql AS $$
DECLARE
  r otp_requests;
  hit record;
  right_code boolean;
  guess_key text;
  spent integer;
  window_end bigint;
  wait_ms bigint;
BEGIN
  IF coalesce(array_length(keys, 1), 0) > 0 THEN
    SELECT * INTO hit FROM otpkit_count_hits(keys, limits, windows_ms, limits_now, NULL, NULL, NULL, NULL);
    IF FOUND THEN
      outcome := 'limited'; refused := hit.refused; ms_before_next := hit.ms_before_next;
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;

  -- Rechecked on the newest version when another transaction held the row, as an UPDATE's are.
  SELECT o.* INTO r FROM otp_requests o
  WHERE o.id = request_id AND o.widget_id = for_widget AND o.status = 'pending'
    AND o.expires_at > now_ms AND o.attempts < o.max_attempts
  FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    outcome := 'unclaimed';
    RETURN NEXT;
    RETURN;
  END IF;

  right_code := r.code_hashes ?| candidates;

  IF guess_prefix IS NOT NULL AND r.guess_owner IS NOT NULL THEN
    guess_key := guess_prefix || r.guess_owner;
    wait_ms := NULL;
    IF right_code THEN
      -- A right code only checks the budget.
      SELECT g.points, g.expire INTO spent, window_end FROM rate_limits g WHERE g.key = guess_key;
      IF FOUND AND (window_end IS NULL OR window_end > limits_now) AND spent >= guess_points THEN
        wait_ms := CASE WHEN window_end IS NULL THEN 0 ELSE window_end - limits_now END;
      END IF;
    ELSE
      INSERT INTO rate_limits AS g (key, points, expire) VALUES (guess_key, 1, limits_now + guess_window_ms)
      ON CONFLICT (key) DO UPDATE SET
        points = CASE WHEN g.expire <= limits_now THEN 1 ELSE g.points + 1 END,
        expire = CASE WHEN g.expire <= limits_now THEN excluded.expire ELSE g.expire END
      RETURNING g.points, g.expire INTO spent, window_end;
      IF spent > guess_points THEN
        UPDATE rate_limits SET points = points - 1 WHERE key = guess_key;
        wait_ms := CASE WHEN window_end IS NULL THEN -1 ELSE window_end - limits_now END;
      END IF;
    END IF;
    IF wait_ms IS NOT NULL THEN
      IF coalesce(array_length(keys, 1), 0) > 0 THEN
        UPDATE rate_limits SET points = points - 1 WHERE key = ANY (keys);
      END IF;
      outcome := 'limited';
      refused := coalesce(array_length(keys, 1), 0);
      ms_before_next := wait_ms;
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;

  IF NOT right_code THEN
    UPDATE otp_requests o SET attempts = o.attempts + 1, updated_at = now_ms
    WHERE o.id = request_id
    RETURNING o.* INTO r;
    outcome := 'mismatch'; request := r;
    RETURN NEXT;
    RETURN;
  END IF;

  UPDATE otp_requests o SET status = 'verified', verified_at = now_ms, updated_at = now_ms
  WHERE o.id = request_id AND o.status = 'pending'
  RETURNING o.* INTO r;
  IF NOT FOUND THEN
    -- Not while the row is locked; kept as 024 answered it, should the lock ever be dropped.
    outcome := 'lost';
    RETURN NEXT;
    RETURN;
  END IF;
  IF token_jti IS NOT NULL THEN
    INSERT INTO access_tokens (jti, request_id, widget_id, identifier, channel, issued_at, expires_at, demo)
    VALUES (token_jti, r.id, r.widget_id, r.identifier, r.channel, token_issued_at, token_expires_at, r.demo);
  END IF;
  event_error := otpkit_record_event(r.id, event_widget, event_kind, event_ip, event_host, event_user_agent,
    event_at, event_identifier);
  outcome := 'verified'; request := r;
  RETURN NEXT;
END
$$;

-- Whose guess budget a wrong code of a request spends ("account:limit key" of
-- its identifier), written with the request by the service, so that a
-- verification counts it in the same statement that claims the attempt.
-- NULL: no budget (demo requests, magic links). Pending code requests from
-- before this migration get their account and identifier (email variants
-- such as +tags share a budget only from now on).
ALTER TABLE otp_requests ADD COLUMN guess_owner text;

UPDATE otp_requests r SET guess_owner = w.account_id || ':' || r.identifier
FROM widgets w
WHERE w.id = r.widget_id AND r.status = 'pending' AND NOT r.demo AND r.verification_type = 'otp';

-- A call's event row, guarded: the log describes a call and never undoes it, so a row the
-- database refuses (a full disk, a broken trigger) is not written and its error is returned
-- (NULL: written), for the service to log and count (core/events/recorder.ts). The rest of the
-- statement that calls it (a send, a code check, a token redemption) commits as it would have.
CREATE FUNCTION otpkit_record_event(
  event_request text, event_widget text, event_kind text, event_ip text, event_host text,
  event_user_agent text, event_at bigint, event_identifier text
)
RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO request_events (request_id, widget_id, kind, outcome, ip, host, user_agent, created_at, identifier)
  VALUES (event_request, event_widget, event_kind, 'ok', event_ip, event_host, event_user_agent, event_at,
    event_identifier);
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  RETURN SQLERRM;
END
$$;

-- A whole code check in one round trip, all or nothing (store/postgres/operations.ts), as the SQLite
-- store does it in one write: the call's rate limits (otpkit_count_hits, 015), the attempt, the
-- guess budget of the request's identifier, the comparison of the code's candidate hashes with
-- the request's, the verification, its access-token row and its event row (guarded:
-- otpkit_record_event; `event_error` says why it was not written).
-- outcome: 'limited' (refused: the limit's place, or the number of limits for the guess budget),
-- 'unclaimed' (no attempt could be counted: the limits stay spent), 'mismatch' (the attempt and
-- a point of the guess budget are spent), 'lost', or 'verified'; `request` is the claimed (or
-- verified) row. A refusal by the guess budget gives back the attempt and the limit points: the
-- rows stay locked by this statement, so taking them back restores exactly what was there.
CREATE FUNCTION otpkit_verify(
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

  UPDATE otp_requests o SET attempts = o.attempts + 1, updated_at = now_ms
  WHERE o.id = request_id AND o.widget_id = for_widget AND o.status = 'pending'
    AND o.expires_at > now_ms AND o.attempts < o.max_attempts
  RETURNING o.* INTO r;
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
      UPDATE otp_requests o SET attempts = o.attempts - 1 WHERE o.id = request_id;
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
    outcome := 'mismatch'; request := r;
    RETURN NEXT;
    RETURN;
  END IF;

  UPDATE otp_requests o SET status = 'verified', verified_at = now_ms, attempts = o.attempts - 1,
    updated_at = now_ms
  WHERE o.id = request_id AND o.status = 'pending'
  RETURNING o.* INTO r;
  IF NOT FOUND THEN
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

-- A send's request, message and magic link are written by one statement (store/postgres/index.ts,
-- otpRequests.create) that calls this first: it takes the transaction's lock on the widget and
-- identifier, then supersedes the pending request. Statements inside a volatile function see
-- what committed before they start, so the UPDATE sees a request created by whoever held the
-- lock before: exactly one stays pending when two sends for one identifier arrive together.
CREATE FUNCTION otpkit_supersede_pending(lock_key bigint, for_widget text, for_identifier text, now_ms bigint)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  superseded integer;
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key);
  UPDATE otp_requests SET status = 'superseded', updated_at = now_ms
  WHERE widget_id = for_widget AND identifier = for_identifier AND status = 'pending';
  GET DIAGNOSTICS superseded = ROW_COUNT;
  RETURN superseded;
END
$$;

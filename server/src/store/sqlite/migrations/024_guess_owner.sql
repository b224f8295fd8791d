-- Whose guess budget a wrong code of a request spends ("account:limit key" of
-- its identifier), written with the request by the service: a verification
-- counts it in the same step that claims the attempt, without a read of the
-- request first. NULL: no budget (demo requests, magic links). Pending code
-- requests from before this migration get their account and identifier
-- (email variants such as +tags share a budget only from now on).
ALTER TABLE otp_requests ADD COLUMN guess_owner TEXT;

UPDATE otp_requests SET guess_owner = (SELECT account_id FROM widgets WHERE widgets.id = otp_requests.widget_id) || ':' || identifier
WHERE status = 'pending' AND demo = 0 AND verification_type = 'otp';

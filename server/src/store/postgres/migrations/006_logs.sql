-- Logs and analytics, PostgreSQL mirror of sqlite/migrations/006_logs.sql.
--
-- A log entry is an otp_requests row. The facts a log filter needs from other
-- tables are copied onto it by triggers, so a filtered page reads one table
-- through one index: the channels used (a bit mask: sms 1, whatsapp 2,
-- voice 4, email 8), the first channel, the status of the latest message, and
-- when the access token was redeemed. (No backfill: PostgreSQL support starts
-- with this schema, so there is nothing older to copy.)
ALTER TABLE otp_requests ADD COLUMN log_channels integer NOT NULL DEFAULT 0;
ALTER TABLE otp_requests ADD COLUMN first_channel text;
ALTER TABLE otp_requests ADD COLUMN last_message_id text;
ALTER TABLE otp_requests ADD COLUMN delivery_status text;
ALTER TABLE otp_requests ADD COLUMN token_verified_at bigint;

CREATE INDEX otp_requests_log_widget ON otp_requests(widget_id, created_at DESC, seq DESC);
CREATE INDEX otp_requests_log_identifier ON otp_requests(identifier, created_at);
CREATE INDEX access_tokens_request ON access_tokens(request_id);
CREATE INDEX request_events_created ON request_events(created_at);

-- Analytics, pre-aggregated on write: one row per widget, hour (of the
-- request's creation, UTC), channel and country ('' for none). Requests and
-- verifications count under the request's first channel; sent, delivered and
-- failed under each message's channel. lat_0…lat_14 are a histogram of the
-- time from the first send to verification, with upper bounds of
-- 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1800, 3600 seconds and
-- beyond (kept in step with LATENCY_BOUNDS_S in server/src/core/logs/analytics.ts).
-- Demo requests are left out. Rows hold no personal data, so retention keeps them.
CREATE TABLE log_rollup (
  widget_id text NOT NULL,
  hour bigint NOT NULL,
  channel text NOT NULL,
  country text NOT NULL,
  requests integer NOT NULL DEFAULT 0,
  sent integer NOT NULL DEFAULT 0,
  delivered integer NOT NULL DEFAULT 0,
  failed integer NOT NULL DEFAULT 0,
  verified integer NOT NULL DEFAULT 0,
  lat_0 integer NOT NULL DEFAULT 0,
  lat_1 integer NOT NULL DEFAULT 0,
  lat_2 integer NOT NULL DEFAULT 0,
  lat_3 integer NOT NULL DEFAULT 0,
  lat_4 integer NOT NULL DEFAULT 0,
  lat_5 integer NOT NULL DEFAULT 0,
  lat_6 integer NOT NULL DEFAULT 0,
  lat_7 integer NOT NULL DEFAULT 0,
  lat_8 integer NOT NULL DEFAULT 0,
  lat_9 integer NOT NULL DEFAULT 0,
  lat_10 integer NOT NULL DEFAULT 0,
  lat_11 integer NOT NULL DEFAULT 0,
  lat_12 integer NOT NULL DEFAULT 0,
  lat_13 integer NOT NULL DEFAULT 0,
  lat_14 integer NOT NULL DEFAULT 0,
  PRIMARY KEY (widget_id, hour, channel, country)
);

CREATE FUNCTION otpkit_channel_bit(c text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE c WHEN 'sms' THEN 1 WHEN 'whatsapp' THEN 2 WHEN 'voice' THEN 4 WHEN 'email' THEN 8 ELSE 0 END
$$;

-- A new request: its first channel, and one request in the rollup.
CREATE FUNCTION otp_requests_log_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.first_channel := NEW.channel;
  NEW.log_channels := NEW.log_channels | otpkit_channel_bit(NEW.channel);
  IF NOT NEW.demo THEN
    INSERT INTO log_rollup (widget_id, hour, channel, country, requests)
    VALUES (NEW.widget_id, NEW.created_at - NEW.created_at % 3600000, NEW.channel, coalesce(NEW.country, ''), 1)
    ON CONFLICT (widget_id, hour, channel, country) DO UPDATE SET requests = log_rollup.requests + 1;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER otp_requests_log_insert BEFORE INSERT ON otp_requests
FOR EACH ROW EXECUTE FUNCTION otp_requests_log_insert();

-- A verification: counted with its latency bin.
CREATE FUNCTION otp_requests_log_verified() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d bigint := coalesce(NEW.verified_at, NEW.updated_at) - NEW.created_at;
  bin integer;
  lat integer[] := array_fill(0, ARRAY[15]);
BEGIN
  bin := CASE WHEN d < 5000 THEN 0 WHEN d < 10000 THEN 1 WHEN d < 15000 THEN 2 WHEN d < 20000 THEN 3
    WHEN d < 30000 THEN 4 WHEN d < 45000 THEN 5 WHEN d < 60000 THEN 6 WHEN d < 90000 THEN 7
    WHEN d < 120000 THEN 8 WHEN d < 180000 THEN 9 WHEN d < 300000 THEN 10 WHEN d < 600000 THEN 11
    WHEN d < 1800000 THEN 12 WHEN d < 3600000 THEN 13 ELSE 14 END;
  lat[bin + 1] := 1;
  INSERT INTO log_rollup (widget_id, hour, channel, country, verified,
    lat_0, lat_1, lat_2, lat_3, lat_4, lat_5, lat_6, lat_7, lat_8, lat_9, lat_10, lat_11, lat_12, lat_13, lat_14)
  VALUES (NEW.widget_id, NEW.created_at - NEW.created_at % 3600000, coalesce(NEW.first_channel, NEW.channel),
    coalesce(NEW.country, ''), 1,
    lat[1], lat[2], lat[3], lat[4], lat[5], lat[6], lat[7], lat[8], lat[9], lat[10], lat[11], lat[12],
    lat[13], lat[14], lat[15])
  ON CONFLICT (widget_id, hour, channel, country) DO UPDATE SET verified = log_rollup.verified + 1,
    lat_0 = log_rollup.lat_0 + excluded.lat_0, lat_1 = log_rollup.lat_1 + excluded.lat_1,
    lat_2 = log_rollup.lat_2 + excluded.lat_2, lat_3 = log_rollup.lat_3 + excluded.lat_3,
    lat_4 = log_rollup.lat_4 + excluded.lat_4, lat_5 = log_rollup.lat_5 + excluded.lat_5,
    lat_6 = log_rollup.lat_6 + excluded.lat_6, lat_7 = log_rollup.lat_7 + excluded.lat_7,
    lat_8 = log_rollup.lat_8 + excluded.lat_8, lat_9 = log_rollup.lat_9 + excluded.lat_9,
    lat_10 = log_rollup.lat_10 + excluded.lat_10, lat_11 = log_rollup.lat_11 + excluded.lat_11,
    lat_12 = log_rollup.lat_12 + excluded.lat_12, lat_13 = log_rollup.lat_13 + excluded.lat_13,
    lat_14 = log_rollup.lat_14 + excluded.lat_14;
  RETURN NULL;
END
$$;
CREATE TRIGGER otp_requests_log_verified AFTER UPDATE OF status ON otp_requests
FOR EACH ROW WHEN (NEW.status = 'verified' AND OLD.status <> 'verified' AND NOT NEW.demo)
EXECUTE FUNCTION otp_requests_log_verified();

-- A queued message: the request's latest message and channels.
CREATE FUNCTION messages_log_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE otp_requests SET last_message_id = NEW.id, delivery_status = NEW.status,
    log_channels = log_channels | otpkit_channel_bit(NEW.channel)
  WHERE id = NEW.request_id;
  RETURN NULL;
END
$$;
CREATE TRIGGER messages_log_insert AFTER INSERT ON messages
FOR EACH ROW EXECUTE FUNCTION messages_log_insert();

-- A message's status moves: the log entry's delivery status and the rollup's counts.
CREATE FUNCTION messages_log_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE otp_requests SET delivery_status = NEW.status
  WHERE id = NEW.request_id AND last_message_id = NEW.id;
  INSERT INTO log_rollup (widget_id, hour, channel, country, sent, delivered, failed)
  SELECT r.widget_id, r.created_at - r.created_at % 3600000, NEW.channel, coalesce(r.country, ''),
    (OLD.status = 'pending' AND (NEW.status IN ('sent', 'delivered') OR NEW.sent_at IS NOT NULL))::integer,
    (NEW.status = 'delivered')::integer, (NEW.status = 'failed')::integer
  FROM otp_requests r WHERE r.id = NEW.request_id AND NOT r.demo
  ON CONFLICT (widget_id, hour, channel, country) DO UPDATE SET
    sent = log_rollup.sent + excluded.sent, delivered = log_rollup.delivered + excluded.delivered,
    failed = log_rollup.failed + excluded.failed;
  RETURN NULL;
END
$$;
CREATE TRIGGER messages_log_status AFTER UPDATE OF status ON messages
FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status)
EXECUTE FUNCTION messages_log_status();

-- An access token redeemed: shown on its request's log entry.
CREATE FUNCTION access_tokens_log_verified() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE otp_requests SET token_verified_at = NEW.verified_at WHERE id = NEW.request_id;
  RETURN NULL;
END
$$;
CREATE TRIGGER access_tokens_log_verified AFTER UPDATE OF verified_at ON access_tokens
FOR EACH ROW WHEN (NEW.verified_at IS NOT NULL AND OLD.verified_at IS NULL)
EXECUTE FUNCTION access_tokens_log_verified();

-- Logs and analytics.
--
-- A log entry is an otp_requests row. The facts a log filter needs from other
-- tables are copied onto it by triggers, so a filtered page reads one table
-- through one index: the channels used (a bit mask: sms 1, whatsapp 2,
-- voice 4, email 8), the first channel, the status of the latest message, and
-- when the access token was redeemed.
ALTER TABLE otp_requests ADD COLUMN log_channels INTEGER NOT NULL DEFAULT 0;
ALTER TABLE otp_requests ADD COLUMN first_channel TEXT;
ALTER TABLE otp_requests ADD COLUMN last_message_id TEXT;
ALTER TABLE otp_requests ADD COLUMN delivery_status TEXT;
ALTER TABLE otp_requests ADD COLUMN token_verified_at INTEGER;

-- Newest-first pages per widget, with the filter columns in the index so a
-- sparse filter is checked without reading the rows; and per identifier.
CREATE INDEX otp_requests_log_widget
  ON otp_requests(widget_id, created_at, resend_count, log_channels, status, token_verified_at);
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
  widget_id TEXT NOT NULL,
  hour INTEGER NOT NULL,
  channel TEXT NOT NULL,
  country TEXT NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  sent INTEGER NOT NULL DEFAULT 0,
  delivered INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  verified INTEGER NOT NULL DEFAULT 0,
  lat_0 INTEGER NOT NULL DEFAULT 0,
  lat_1 INTEGER NOT NULL DEFAULT 0,
  lat_2 INTEGER NOT NULL DEFAULT 0,
  lat_3 INTEGER NOT NULL DEFAULT 0,
  lat_4 INTEGER NOT NULL DEFAULT 0,
  lat_5 INTEGER NOT NULL DEFAULT 0,
  lat_6 INTEGER NOT NULL DEFAULT 0,
  lat_7 INTEGER NOT NULL DEFAULT 0,
  lat_8 INTEGER NOT NULL DEFAULT 0,
  lat_9 INTEGER NOT NULL DEFAULT 0,
  lat_10 INTEGER NOT NULL DEFAULT 0,
  lat_11 INTEGER NOT NULL DEFAULT 0,
  lat_12 INTEGER NOT NULL DEFAULT 0,
  lat_13 INTEGER NOT NULL DEFAULT 0,
  lat_14 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (widget_id, hour, channel, country)
) WITHOUT ROWID;

-- Backfill what existed before this migration.
UPDATE otp_requests SET
  first_channel = coalesce(
    (SELECT m.channel FROM messages m WHERE m.request_id = otp_requests.id ORDER BY m.created_at, m.rowid LIMIT 1),
    channel),
  log_channels = (CASE channel WHEN 'sms' THEN 1 WHEN 'whatsapp' THEN 2 WHEN 'voice' THEN 4 WHEN 'email' THEN 8 ELSE 0 END)
    | coalesce((SELECT sum(DISTINCT CASE m.channel WHEN 'sms' THEN 1 WHEN 'whatsapp' THEN 2 WHEN 'voice' THEN 4 WHEN 'email' THEN 8 ELSE 0 END)
                FROM messages m WHERE m.request_id = otp_requests.id), 0),
  last_message_id = (SELECT m.id FROM messages m WHERE m.request_id = otp_requests.id ORDER BY m.created_at DESC, m.rowid DESC LIMIT 1),
  token_verified_at = (SELECT max(t.verified_at) FROM access_tokens t WHERE t.request_id = otp_requests.id);
UPDATE otp_requests SET delivery_status = (SELECT m.status FROM messages m WHERE m.id = otp_requests.last_message_id)
  WHERE last_message_id IS NOT NULL;

INSERT INTO log_rollup (widget_id, hour, channel, country, requests, verified)
SELECT widget_id, created_at - created_at % 3600000, first_channel, coalesce(country, ''),
  count(*), sum(status = 'verified')
FROM otp_requests WHERE demo = 0
GROUP BY 1, 2, 3, 4;

INSERT INTO log_rollup (widget_id, hour, channel, country, sent, delivered, failed)
SELECT r.widget_id, r.created_at - r.created_at % 3600000, m.channel, coalesce(r.country, ''),
  sum(m.status IN ('sent', 'delivered') OR (m.status = 'failed' AND m.sent_at IS NOT NULL)),
  sum(m.status = 'delivered'), sum(m.status = 'failed')
FROM messages m JOIN otp_requests r ON r.id = m.request_id
WHERE r.demo = 0
GROUP BY 1, 2, 3, 4
ON CONFLICT (widget_id, hour, channel, country) DO UPDATE SET
  sent = sent + excluded.sent, delivered = delivered + excluded.delivered, failed = failed + excluded.failed;

UPDATE log_rollup SET
  lat_0 = v.l0, lat_1 = v.l1, lat_2 = v.l2, lat_3 = v.l3, lat_4 = v.l4, lat_5 = v.l5, lat_6 = v.l6,
  lat_7 = v.l7, lat_8 = v.l8, lat_9 = v.l9, lat_10 = v.l10, lat_11 = v.l11, lat_12 = v.l12,
  lat_13 = v.l13, lat_14 = v.l14
FROM (
  SELECT widget_id, hour, channel, country,
    sum(bin = 0) AS l0, sum(bin = 1) AS l1, sum(bin = 2) AS l2, sum(bin = 3) AS l3, sum(bin = 4) AS l4,
    sum(bin = 5) AS l5, sum(bin = 6) AS l6, sum(bin = 7) AS l7, sum(bin = 8) AS l8, sum(bin = 9) AS l9,
    sum(bin = 10) AS l10, sum(bin = 11) AS l11, sum(bin = 12) AS l12, sum(bin = 13) AS l13, sum(bin = 14) AS l14
  FROM (
    SELECT widget_id, created_at - created_at % 3600000 AS hour, first_channel AS channel,
      coalesce(country, '') AS country,
      CASE WHEN d < 5000 THEN 0 WHEN d < 10000 THEN 1 WHEN d < 15000 THEN 2 WHEN d < 20000 THEN 3
        WHEN d < 30000 THEN 4 WHEN d < 45000 THEN 5 WHEN d < 60000 THEN 6 WHEN d < 90000 THEN 7
        WHEN d < 120000 THEN 8 WHEN d < 180000 THEN 9 WHEN d < 300000 THEN 10 WHEN d < 600000 THEN 11
        WHEN d < 1800000 THEN 12 WHEN d < 3600000 THEN 13 ELSE 14 END AS bin
    FROM (SELECT *, verified_at - created_at AS d FROM otp_requests WHERE status = 'verified' AND demo = 0)
  )
  GROUP BY 1, 2, 3, 4
) AS v
WHERE log_rollup.widget_id = v.widget_id AND log_rollup.hour = v.hour
  AND log_rollup.channel = v.channel AND log_rollup.country = v.country;

-- Kept up to date from here on.
CREATE TRIGGER otp_requests_log_insert AFTER INSERT ON otp_requests
BEGIN
  UPDATE otp_requests SET first_channel = NEW.channel,
    log_channels = CASE NEW.channel WHEN 'sms' THEN 1 WHEN 'whatsapp' THEN 2 WHEN 'voice' THEN 4 WHEN 'email' THEN 8 ELSE 0 END
  WHERE id = NEW.id;
  INSERT INTO log_rollup (widget_id, hour, channel, country, requests)
  SELECT NEW.widget_id, NEW.created_at - NEW.created_at % 3600000, NEW.channel, coalesce(NEW.country, ''), 1
  WHERE NEW.demo = 0
  ON CONFLICT (widget_id, hour, channel, country) DO UPDATE SET requests = requests + 1;
END;

CREATE TRIGGER otp_requests_log_verified AFTER UPDATE OF status ON otp_requests
WHEN NEW.status = 'verified' AND OLD.status != 'verified' AND NEW.demo = 0
BEGIN
  INSERT INTO log_rollup (widget_id, hour, channel, country, verified,
    lat_0, lat_1, lat_2, lat_3, lat_4, lat_5, lat_6, lat_7, lat_8, lat_9, lat_10, lat_11, lat_12, lat_13, lat_14)
  SELECT NEW.widget_id, NEW.created_at - NEW.created_at % 3600000, coalesce(NEW.first_channel, NEW.channel),
    coalesce(NEW.country, ''), 1,
    bin = 0, bin = 1, bin = 2, bin = 3, bin = 4, bin = 5, bin = 6, bin = 7, bin = 8, bin = 9, bin = 10,
    bin = 11, bin = 12, bin = 13, bin = 14
  FROM (SELECT CASE WHEN d < 5000 THEN 0 WHEN d < 10000 THEN 1 WHEN d < 15000 THEN 2 WHEN d < 20000 THEN 3
      WHEN d < 30000 THEN 4 WHEN d < 45000 THEN 5 WHEN d < 60000 THEN 6 WHEN d < 90000 THEN 7
      WHEN d < 120000 THEN 8 WHEN d < 180000 THEN 9 WHEN d < 300000 THEN 10 WHEN d < 600000 THEN 11
      WHEN d < 1800000 THEN 12 WHEN d < 3600000 THEN 13 ELSE 14 END AS bin
    FROM (SELECT coalesce(NEW.verified_at, NEW.updated_at) - NEW.created_at AS d))
  WHERE true
  ON CONFLICT (widget_id, hour, channel, country) DO UPDATE SET verified = verified + 1,
    lat_0 = lat_0 + excluded.lat_0, lat_1 = lat_1 + excluded.lat_1, lat_2 = lat_2 + excluded.lat_2,
    lat_3 = lat_3 + excluded.lat_3, lat_4 = lat_4 + excluded.lat_4, lat_5 = lat_5 + excluded.lat_5,
    lat_6 = lat_6 + excluded.lat_6, lat_7 = lat_7 + excluded.lat_7, lat_8 = lat_8 + excluded.lat_8,
    lat_9 = lat_9 + excluded.lat_9, lat_10 = lat_10 + excluded.lat_10, lat_11 = lat_11 + excluded.lat_11,
    lat_12 = lat_12 + excluded.lat_12, lat_13 = lat_13 + excluded.lat_13, lat_14 = lat_14 + excluded.lat_14;
END;

CREATE TRIGGER messages_log_insert AFTER INSERT ON messages
BEGIN
  UPDATE otp_requests SET last_message_id = NEW.id, delivery_status = NEW.status,
    log_channels = log_channels | CASE NEW.channel WHEN 'sms' THEN 1 WHEN 'whatsapp' THEN 2 WHEN 'voice' THEN 4 WHEN 'email' THEN 8 ELSE 0 END
  WHERE id = NEW.request_id;
END;

CREATE TRIGGER messages_log_status AFTER UPDATE OF status ON messages
WHEN NEW.status != OLD.status
BEGIN
  UPDATE otp_requests SET delivery_status = NEW.status
  WHERE id = NEW.request_id AND last_message_id = NEW.id;
  INSERT INTO log_rollup (widget_id, hour, channel, country, sent, delivered, failed)
  SELECT r.widget_id, r.created_at - r.created_at % 3600000, NEW.channel, coalesce(r.country, ''),
    OLD.status = 'pending' AND (NEW.status IN ('sent', 'delivered') OR NEW.sent_at IS NOT NULL),
    NEW.status = 'delivered', NEW.status = 'failed'
  FROM otp_requests r WHERE r.id = NEW.request_id AND r.demo = 0
  ON CONFLICT (widget_id, hour, channel, country) DO UPDATE SET
    sent = sent + excluded.sent, delivered = delivered + excluded.delivered, failed = failed + excluded.failed;
END;

CREATE TRIGGER access_tokens_log_verified AFTER UPDATE OF verified_at ON access_tokens
WHEN NEW.verified_at IS NOT NULL AND OLD.verified_at IS NULL
BEGIN
  UPDATE otp_requests SET token_verified_at = NEW.verified_at WHERE id = NEW.request_id;
END;

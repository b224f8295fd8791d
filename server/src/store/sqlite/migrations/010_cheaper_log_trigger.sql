-- Performance: the insert trigger of 006 updated the row it had
-- just inserted, to set first_channel and log_channels. The adapter now
-- writes both in the INSERT itself, so each code sent costs one statement
-- (and one rewrite of the row and its log index entries) less. The rollup
-- count is unchanged.
DROP TRIGGER otp_requests_log_insert;

CREATE TRIGGER otp_requests_log_insert AFTER INSERT ON otp_requests
WHEN NEW.demo = 0
BEGIN
  INSERT INTO log_rollup (widget_id, hour, channel, country, requests)
  VALUES (NEW.widget_id, NEW.created_at - NEW.created_at % 3600000, NEW.channel, coalesce(NEW.country, ''), 1)
  ON CONFLICT (widget_id, hour, channel, country) DO UPDATE SET requests = requests + 1;
END;

-- Likewise the message a send creates with its request: the adapter writes
-- last_message_id, delivery_status and the channel bit in the request's
-- INSERT, and the message trigger only updates the request for later
-- messages (resends, fallbacks), which it tells by that id.
DROP TRIGGER messages_log_insert;

CREATE TRIGGER messages_log_insert AFTER INSERT ON messages
WHEN (SELECT last_message_id FROM otp_requests WHERE id = NEW.request_id) IS NOT NEW.id
BEGIN
  UPDATE otp_requests SET last_message_id = NEW.id, delivery_status = NEW.status,
    log_channels = log_channels | CASE NEW.channel WHEN 'sms' THEN 1 WHEN 'whatsapp' THEN 2 WHEN 'voice' THEN 4 WHEN 'email' THEN 8 ELSE 0 END
  WHERE id = NEW.request_id;
END;

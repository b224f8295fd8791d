-- The telegram channel: bit 16 of otp_requests.log_channels, for the
-- messages after a request's first (a resend by Telegram, or the SMS a
-- number without Telegram gets instead). The adapter writes the first
-- message's bit itself.
DROP TRIGGER messages_log_insert;

CREATE TRIGGER messages_log_insert AFTER INSERT ON messages
WHEN (SELECT last_message_id FROM otp_requests WHERE id = NEW.request_id) IS NOT NEW.id
BEGIN
  UPDATE otp_requests SET last_message_id = NEW.id, delivery_status = NEW.status,
    log_channels = log_channels | CASE NEW.channel WHEN 'sms' THEN 1 WHEN 'whatsapp' THEN 2 WHEN 'voice' THEN 4 WHEN 'email' THEN 8 WHEN 'telegram' THEN 16 ELSE 0 END
  WHERE id = NEW.request_id;
END;

-- The telegram channel: bit 16 of otp_requests.log_channels.
CREATE OR REPLACE FUNCTION otpkit_channel_bit(c text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE c WHEN 'sms' THEN 1 WHEN 'whatsapp' THEN 2 WHEN 'voice' THEN 4 WHEN 'email' THEN 8 WHEN 'telegram' THEN 16 ELSE 0 END
$$;

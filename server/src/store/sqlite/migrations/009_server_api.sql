-- Server API v5 (/api/v5/otp): the caller chooses each request's code length (otp_length, or the
-- length of its own otp), and resends keep it; NULL means the widget's otpLength.
ALTER TABLE otp_requests ADD COLUMN code_length INTEGER;
-- Verify and retry by mobile find a widget's latest request for an identifier.
CREATE INDEX otp_requests_latest ON otp_requests(widget_id, identifier, created_at);

-- Magic links: a request is verified by a code or by a link.
ALTER TABLE otp_requests ADD COLUMN verification_type text NOT NULL DEFAULT 'otp';
-- The access token minted when a link is confirmed, sealed under the server
-- secret, so the tab that asked can collect it by polling; and its jti.
ALTER TABLE otp_requests ADD COLUMN access_token text;
ALTER TABLE otp_requests ADD COLUMN access_token_jti text;

-- One row per link sent; only the keyed hash of the link's token is kept.
CREATE TABLE magic_links (
  token_hash text PRIMARY KEY,
  request_id text NOT NULL REFERENCES otp_requests(id) ON DELETE CASCADE,
  widget_id text NOT NULL,
  expires_at bigint NOT NULL,
  opened_at bigint,
  used_at bigint,
  created_at bigint NOT NULL
);
CREATE INDEX magic_links_request ON magic_links(request_id);

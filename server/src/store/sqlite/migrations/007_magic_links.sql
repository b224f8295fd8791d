-- Magic links: a request is verified by a code or by a link.
ALTER TABLE otp_requests ADD COLUMN verification_type TEXT NOT NULL DEFAULT 'otp';
-- The access token minted when a link is confirmed, sealed under the server
-- secret, so the tab that asked can collect it by polling; and its jti.
ALTER TABLE otp_requests ADD COLUMN access_token TEXT;
ALTER TABLE otp_requests ADD COLUMN access_token_jti TEXT;

-- One row per link sent; only the keyed hash of the link's token is kept.
CREATE TABLE magic_links (
  token_hash TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES otp_requests(id) ON DELETE CASCADE,
  widget_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  opened_at INTEGER,
  used_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX magic_links_request ON magic_links(request_id);

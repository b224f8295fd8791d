-- Passkeys: WebAuthn credentials registered after a verified code, and their
-- single-use challenges and registration tickets (stored by SHA-256).
CREATE TABLE passkeys (
  id TEXT PRIMARY KEY,
  credential_id TEXT NOT NULL UNIQUE,
  account_id TEXT NOT NULL,
  widget_id TEXT NOT NULL,
  identifier TEXT NOT NULL,
  rp_id TEXT NOT NULL,
  public_key TEXT NOT NULL,
  counter INTEGER NOT NULL,
  transports TEXT NOT NULL,
  device_type TEXT NOT NULL,
  backed_up INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX passkeys_identifier ON passkeys(account_id, identifier);

CREATE TABLE passkey_challenges (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  widget_id TEXT NOT NULL,
  identifier TEXT,
  origin TEXT,
  request_id TEXT,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX passkey_challenges_expiry ON passkey_challenges(expires_at);

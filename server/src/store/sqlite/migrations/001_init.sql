CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE authkeys (
  hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  created_at INTEGER NOT NULL
);

CREATE TABLE widgets (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  settings TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX widgets_account ON widgets(account_id);

CREATE TABLE widget_tokens (
  token TEXT PRIMARY KEY,
  widget_id TEXT NOT NULL REFERENCES widgets(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX widget_tokens_widget ON widget_tokens(widget_id);

CREATE TABLE otp_requests (
  id TEXT PRIMARY KEY,
  widget_id TEXT NOT NULL REFERENCES widgets(id) ON DELETE CASCADE,
  identifier TEXT NOT NULL,
  contact_point TEXT NOT NULL,
  channel TEXT NOT NULL,
  code_hashes TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  resend_count INTEGER NOT NULL DEFAULT 0,
  max_resends INTEGER NOT NULL,
  resend_interval_ms INTEGER NOT NULL,
  ttl_ms INTEGER NOT NULL,
  last_sent_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  verified_at INTEGER,
  ip TEXT,
  host TEXT,
  user_agent TEXT,
  variables TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX otp_requests_pending ON otp_requests(widget_id, identifier, status);
CREATE INDEX otp_requests_created ON otp_requests(created_at);

CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES otp_requests(id) ON DELETE CASCADE,
  channel TEXT NOT NULL,
  provider TEXT NOT NULL,
  provider_message_id TEXT,
  status TEXT NOT NULL,
  error TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX deliveries_request ON deliveries(request_id);

CREATE TABLE access_tokens (
  jti TEXT PRIMARY KEY,
  request_id TEXT NOT NULL,
  widget_id TEXT NOT NULL,
  identifier TEXT NOT NULL,
  channel TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  verified_at INTEGER
);

CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  alg TEXT NOT NULL,
  public_jwk TEXT NOT NULL,
  private_jwk TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE dev_outbox (
  id TEXT PRIMARY KEY,
  request_id TEXT,
  recipient TEXT NOT NULL,
  channel TEXT NOT NULL,
  subject TEXT,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX dev_outbox_recipient ON dev_outbox(recipient, created_at);
CREATE INDEX dev_outbox_created ON dev_outbox(created_at);

CREATE TABLE request_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id TEXT,
  widget_id TEXT,
  kind TEXT NOT NULL,
  outcome TEXT NOT NULL,
  ip TEXT,
  host TEXT,
  user_agent TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX request_events_request ON request_events(request_id);

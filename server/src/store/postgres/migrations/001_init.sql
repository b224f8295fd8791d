-- PostgreSQL mirror of sqlite/migrations/001_init.sql. Times are epoch
-- milliseconds (bigint); JSON kept as json (exact text) or jsonb (appended to).
-- A `seq` identity column stands in for SQLite's rowid where order of insertion breaks ties.
CREATE TABLE accounts (
  id text PRIMARY KEY,
  name text NOT NULL,
  created_at bigint NOT NULL
);

CREATE TABLE settings (
  key text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE authkeys (
  hash text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts(id),
  created_at bigint NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY
);

CREATE TABLE widgets (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts(id),
  settings json NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE INDEX widgets_account ON widgets(account_id);

-- SQLite keyed tokens by their clear text before migration 005; PostgreSQL
-- never held clear tokens, so rows are keyed by id from the start.
CREATE TABLE widget_tokens (
  id text PRIMARY KEY,
  widget_id text NOT NULL REFERENCES widgets(id) ON DELETE CASCADE,
  created_at bigint NOT NULL,
  revoked_at bigint,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX widget_tokens_widget ON widget_tokens(widget_id);

CREATE TABLE otp_requests (
  id text PRIMARY KEY,
  widget_id text NOT NULL REFERENCES widgets(id) ON DELETE CASCADE,
  identifier text NOT NULL,
  contact_point text NOT NULL,
  channel text NOT NULL,
  code_hashes jsonb NOT NULL,
  status text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  resend_count integer NOT NULL DEFAULT 0,
  max_resends integer NOT NULL,
  resend_interval_ms bigint NOT NULL,
  ttl_ms bigint NOT NULL,
  last_sent_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  verified_at bigint,
  ip text,
  host text,
  user_agent text,
  variables json NOT NULL DEFAULT '{}',
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX otp_requests_pending ON otp_requests(widget_id, identifier) WHERE status = 'pending';
CREATE INDEX otp_requests_created ON otp_requests(created_at);

CREATE TABLE deliveries (
  id text PRIMARY KEY,
  request_id text NOT NULL REFERENCES otp_requests(id) ON DELETE CASCADE,
  channel text NOT NULL,
  provider text NOT NULL,
  provider_message_id text,
  status text NOT NULL,
  error text,
  created_at bigint NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX deliveries_request ON deliveries(request_id);

CREATE TABLE access_tokens (
  jti text PRIMARY KEY,
  request_id text NOT NULL,
  widget_id text NOT NULL,
  identifier text NOT NULL,
  channel text NOT NULL,
  issued_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  verified_at bigint
);

CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL,
  public_jwk text NOT NULL,
  private_jwk text NOT NULL,
  created_at bigint NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY
);

CREATE TABLE dev_outbox (
  id text PRIMARY KEY,
  request_id text,
  recipient text NOT NULL,
  channel text NOT NULL,
  subject text,
  text text NOT NULL,
  created_at bigint NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX dev_outbox_recipient ON dev_outbox(recipient, created_at);
CREATE INDEX dev_outbox_created ON dev_outbox(created_at);

CREATE TABLE request_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id text,
  widget_id text,
  kind text NOT NULL,
  outcome text NOT NULL,
  ip text,
  host text,
  user_agent text,
  created_at bigint NOT NULL
);
CREATE INDEX request_events_request ON request_events(request_id);

-- rate-limiter-flexible's counters (RateLimiterPostgres), created here so
-- instances starting together do not race to create it.
CREATE TABLE rate_limits (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);

-- The durable send queue: one row per outgoing message, delivered by a worker.
CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES otp_requests(id) ON DELETE CASCADE,
  widget_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  purpose TEXT NOT NULL,
  recipient TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  locked_until INTEGER,
  provider TEXT,
  provider_message_id TEXT,
  error TEXT,
  fallback_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  sent_at INTEGER,
  delivered_at INTEGER
);
CREATE INDEX messages_due ON messages(status, next_attempt_at);
CREATE INDEX messages_fallback ON messages(fallback_at) WHERE fallback_at IS NOT NULL;
CREATE INDEX messages_provider_id ON messages(provider, provider_message_id);
CREATE INDEX messages_request ON messages(request_id);

-- Each delivery attempt records the message it belongs to.
ALTER TABLE deliveries ADD COLUMN message_id TEXT;
ALTER TABLE deliveries ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
ALTER TABLE otp_requests ADD COLUMN fallback_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE otp_requests ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
